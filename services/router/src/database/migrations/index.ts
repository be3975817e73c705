import { RoutingRules1764310000000 } from './1764310000000-routing-rules';

export const migrations = [RoutingRules1764310000000];
