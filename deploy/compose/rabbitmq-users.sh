#!/bin/sh
# One RabbitMQ user per service on the system's vhost, each allowed only what its service declares
# and uses (packages/messaging/src/topology.ts, services/*/src/topology.ts):
#   - its own queues, all named `<service>.…` (Q, Q.retry.<n>, Q.dlq; the gateway's live-event
#     queues `gateway.live-events.<id>`);
#   - the shared events exchange `delivery.events` and its alternate exchange and queue
#     `delivery.events.unrouted`, which every service declares;
#   - writing to the default exchange (`amq.default`), through which a service sends commands and
#     moves its own messages to their retry and dead-letter queues (the gateway sends nothing);
#   - on `delivery.events`, publishing events under its own routing-key domain only (topic
#     permissions): no service can forge another's events.
# RabbitMQ cannot narrow the default exchange by queue: a user that may send commands may send
# them to any queue's name. Reading, declaring, binding, purging and deleting are its own queues'.
#
# docker compose runs it on every `up` (the `rabbitmq-users` service): it creates what is missing
# and sets every password and permission again, so changing one in .env takes effect on the next
# `up`. Against another broker: RABBITMQ_NODE names the node (rabbitmqctl -n), RABBITMQ_VHOST the
# vhost (default `delivery`), RABBITMQ_USER_PREFIX goes before every user name (for a broker that
# other systems share). Passwords come from <SERVICE>_AMQP_PASSWORD and are read by rabbitmqctl
# from its standard input, so they never show in a process list.
set -eu

vhost=${RABBITMQ_VHOST:-delivery}
prefix=${RABBITMQ_USER_PREFIX:-}

ctl() {
  if [ -n "${RABBITMQ_NODE:-}" ]; then rabbitmqctl -q -n "$RABBITMQ_NODE" "$@"; else rabbitmqctl -q "$@"; fi
}

# Shared by every service: the events exchange, its alternate exchange, and that exchange's queue.
events='delivery\.events|delivery\.events\.unrouted'

# service_user <user> <password> <queue prefix> <event domain, or - for none>
service_user() {
  user="$prefix$1"
  password=$2
  own="$3\\..+"
  if [ -z "$password" ]; then
    echo "the password of $1 is empty" >&2
    exit 2
  fi
  printf '%s' "$password" | ctl add_user "$user" >/dev/null 2>&1 ||
    printf '%s' "$password" | ctl change_password "$user" >/dev/null
  if [ "$4" = - ]; then
    # Declares and binds its own queues and the shared topology; publishes nothing.
    ctl set_permissions -p "$vhost" "$user" "^($events|$own)\$" "^(delivery\\.events\\.unrouted|$own)\$" \
      "^($events|$own)\$"
    ctl set_topic_permissions -p "$vhost" "$user" delivery.events '^$' '.*'
  else
    ctl set_permissions -p "$vhost" "$user" "^($events|$own)\$" "^(amq\\.default|$events|$own)\$" \
      "^($events|$own)\$"
    ctl set_topic_permissions -p "$vhost" "$user" delivery.events "^$4\\." '.*'
  fi
  echo "rabbitmq: user $user on vhost $vhost"
}

ctl add_vhost "$vhost" >/dev/null
service_user gateway "${GATEWAY_AMQP_PASSWORD:-}" gateway -
service_user pipeline "${PIPELINE_AMQP_PASSWORD:-}" pipeline pipeline
service_user job-runner "${JOB_RUNNER_AMQP_PASSWORD:-}" job-runner jobs
service_user hitl "${HITL_AMQP_PASSWORD:-}" hitl hitl
service_user template-blueprint "${TEMPLATE_BLUEPRINT_AMQP_PASSWORD:-}" template-blueprint blueprints
