// One MongoDB user per service, allowed to read and write its own database and nothing else
// (README "Ownership": no service reads another's database). The mongo image runs this once, when
// it initialises an empty data volume (/docker-entrypoint-initdb.d), as the root user it creates
// from MONGO_INITDB_ROOT_USERNAME/PASSWORD; the passwords come from <SERVICE>_MONGO_PASSWORD. Each
// user lives in its own database, which is therefore its connection's authSource. Elsewhere, as
// an administrator with the same variables set: mongosh "<admin URL>" deploy/compose/mongo-users.js
const serviceUsers = [
  { user: 'gateway', database: 'gateway', passwordVariable: 'GATEWAY_MONGO_PASSWORD' },
  { user: 'pipeline', database: 'pipeline', passwordVariable: 'PIPELINE_MONGO_PASSWORD' },
  { user: 'job-runner', database: 'jobs', passwordVariable: 'JOB_RUNNER_MONGO_PASSWORD' },
  { user: 'hitl', database: 'hitl', passwordVariable: 'HITL_MONGO_PASSWORD' },
  {
    user: 'template-blueprint',
    database: 'blueprints',
    passwordVariable: 'TEMPLATE_BLUEPRINT_MONGO_PASSWORD',
  },
];

for (const { user, database, passwordVariable } of serviceUsers) {
  const pwd = process.env[passwordVariable];
  if (!pwd) throw new Error(`${passwordVariable} is not set: the password of the MongoDB user ${user}`);
  db.getSiblingDB(database).createUser({ user, pwd, roles: [{ role: 'readWrite', db: database }] });
  print(`mongo: user ${user} with readWrite on ${database}`);
}
