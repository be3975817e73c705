// Where a Docker engine answers and the environment names no broker or database, the tests
// get throw-away containers from testcontainers instead of local servers.
async function dockerAvailable() {
  try {
    const { getContainerRuntimeClient } = require('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false; // no engine: testcontainers rejects within milliseconds
  }
}

/** Starts Kafka (KRaft) and PostgreSQL 15; returns their addresses and a stop function. */
async function startContainers() {
  const { KafkaContainer } = require('@testcontainers/kafka');
  const { PostgreSqlContainer } = require('@testcontainers/postgresql');
  const [kafka, postgres] = await Promise.all([
    new KafkaContainer('confluentinc/cp-kafka:7.9.1')
      .withKraft()
      .withEnvironment({ KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false' })
      .start(),
    new PostgreSqlContainer('postgres:15')
      .withDatabase('aduan')
      .withUsername('postgres')
      .withPassword('postgres')
      .start(),
  ]);
  return {
    env: {
      KAFKA_BROKERS: `${kafka.getHost()}:${kafka.getMappedPort(9093)}`,
      DATABASE_URL: postgres.getConnectionUri(),
    },
    async stop() {
      await Promise.all([kafka.stop(), postgres.stop()]);
    },
  };
}

module.exports = { dockerAvailable, startContainers };
