#!/usr/bin/env bash
# Starts MariaDB (3306), RabbitMQ (5672) and Mosquitto (1883) when they do not answer, installing
# their Debian packages first when missing, and makes sure `ping` exists (icmp checks). The probe
# tests of the mysql, amqp, mqtt and icmp kinds use these real servers. Idempotent: each step
# checks before it acts, and a running service is never restarted.
set -euo pipefail

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_port() { # name port seconds
  for _ in $(seq 1 "$3"); do port_open "$2" && return 0; sleep 1; done
  echo "ensure-brokers: $1 did not listen on 127.0.0.1:$2 within $3 s" >&2
  return 1
}

need=()
command -v ping >/dev/null || need+=(iputils-ping)
[ -x /usr/sbin/mariadbd ] || need+=(mariadb-server)
[ -x /usr/sbin/rabbitmq-server ] || need+=(rabbitmq-server)
[ -x /usr/sbin/mosquitto ] || need+=(mosquitto)
if [ "${#need[@]}" -gt 0 ]; then
  apt-get update -qq
  # No init system here: package scripts may fail to start services; this script starts them below.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

if ! port_open 3306; then
  install -d -o mysql -g mysql /run/mysqld
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- \
    --user=mysql --bind-address=127.0.0.1 --port=3306
  wait_port MariaDB 3306 60
fi
# The tests connect as root with an empty password over TCP (they create their own users). A fresh
# Debian install lets root in through the unix socket only: open TCP for it, once.
if ! mariadb -uroot -h127.0.0.1 -P3306 --protocol=tcp -e 'select 1' >/dev/null 2>&1; then
  # (127.0.0.1 may be matched as 'localhost' or as itself, so both accounts take the empty password.)
  mariadb -uroot -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD('');
    CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY '';
    GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;"
fi
mariadb -uroot -h127.0.0.1 -P3306 --protocol=tcp -e 'select 1' >/dev/null && echo "mariadb up"

if ! port_open 5672; then
  rabbitmq-server -detached
  wait_port RabbitMQ 5672 120
fi
echo "rabbitmq up"

if ! port_open 1883; then
  # Debian's mosquitto.conf writes its pid under /run/mosquitto and, with no listener configured,
  # serves anonymous clients on localhost:1883 only: what the tests expect.
  install -d -o mosquitto -g mosquitto /run/mosquitto
  mosquitto -d -c /etc/mosquitto/mosquitto.conf
  wait_port Mosquitto 1883 20
fi
echo "mosquitto up"
command -v ping >/dev/null && echo "ping present"
