#!/bin/sh
# Writes the passwords `docker compose up` needs into .env beside docker-compose.yml (or into the
# file given), which compose reads by itself. Run it once before the first `up`: each missing
# password gets a fresh random value, and one already there is kept, because MongoDB's users are
# created with it when its volume is first initialised. The file is readable by its owner alone.
set -eu

file=${1:-"$(dirname "$0")/../../.env"}
umask 077
touch "$file"

for name in \
  MONGO_ROOT_PASSWORD RABBITMQ_ADMIN_PASSWORD \
  GATEWAY_MONGO_PASSWORD GATEWAY_AMQP_PASSWORD \
  PIPELINE_MONGO_PASSWORD PIPELINE_AMQP_PASSWORD \
  JOB_RUNNER_MONGO_PASSWORD JOB_RUNNER_AMQP_PASSWORD \
  HITL_MONGO_PASSWORD HITL_AMQP_PASSWORD \
  TEMPLATE_BLUEPRINT_MONGO_PASSWORD TEMPLATE_BLUEPRINT_AMQP_PASSWORD \
  GRAFANA_ADMIN_PASSWORD; do
  if ! grep -q "^$name=" "$file"; then
    # 24 random bytes as hex: nothing a URL or a shell would need to escape.
    printf '%s=%s\n' "$name" "$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')" >>"$file"
  fi
done
echo "passwords for docker compose in $file"
