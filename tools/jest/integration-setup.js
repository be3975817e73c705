// Real brokers and databases answer in seconds, not milliseconds: group joins alone take ~3 s.
jest.setTimeout(60_000);
