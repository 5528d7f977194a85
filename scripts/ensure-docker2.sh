#!/usr/bin/env bash
# Starts a second Docker engine on this machine (for the "many Docker hosts" tests, issue 16) if
# it does not answer yet, and gives it the test image vigil/busybox:1 from the first engine.
# Own data/exec roots and sockets: unix:///tmp/vigil-dockerd2/docker.sock and tcp 127.0.0.1:$PORT
# (loopback only, no TLS: a test engine). Idempotent. Stop it with: kill "$(cat /tmp/vigil-dockerd2/dockerd.pid)".
set -euo pipefail
dir=/tmp/vigil-dockerd2
port=${VIGIL_DOCKERD2_PORT:-23750}
sock="unix://$dir/docker.sock"
if ! docker -H "$sock" info >/dev/null 2>&1; then
  command -v dockerd >/dev/null || { echo "ensure-docker2: dockerd is not installed" >&2; exit 1; }
  mkdir -p "$dir/data" "$dir/exec"
  nohup dockerd --data-root "$dir/data" --exec-root "$dir/exec" --pidfile "$dir/dockerd.pid" \
    -H "$sock" -H "tcp://127.0.0.1:$port" --iptables=false --ip-masq=false --bridge=none \
    --containerd-namespace vigil2 --containerd-plugins-namespace vigil2-plugins \
    >"$dir/dockerd.log" 2>&1 &
  for _ in $(seq 1 60); do docker -H "$sock" info >/dev/null 2>&1 && break; sleep 1; done
  docker -H "$sock" info >/dev/null 2>&1 || { echo "ensure-docker2: dockerd did not start; see $dir/dockerd.log" >&2; exit 1; }
fi
if ! docker -H "$sock" image inspect vigil/busybox:1 >/dev/null 2>&1; then
  docker image inspect vigil/busybox:1 >/dev/null 2>&1 || bash "$(dirname "$0")/ensure-docker.sh" >/dev/null
  docker save vigil/busybox:1 | docker -H "$sock" load >/dev/null
fi
echo "ensure-docker2: second engine up at $sock and tcp://127.0.0.1:$port with vigil/busybox:1"
