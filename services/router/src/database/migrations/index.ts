import { RoutingRules1764310000000 } from './1764310000000-routing-rules';
import { IncidentPlaceKey1764500000000 } from './1764500000000-incident-place-key';
import { IncidentCell1764900000000 } from './1764900000000-incident-cell';
import { RecentRoutingInputs1765800000075 } from './1765800000075-recent-routing-inputs';

export const migrations = [
  RoutingRules1764310000000,
  IncidentPlaceKey1764500000000,
  IncidentCell1764900000000,
  RecentRoutingInputs1765800000075,
];
