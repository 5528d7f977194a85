#!/usr/bin/env bash
# Starts a Docker engine if none answers and builds the local test images vigil/busybox:1 and :2
# (no registry is reachable here, so the images are made from the host's busybox-static).
set -euo pipefail
if ! docker info >/dev/null 2>&1; then
  command -v dockerd >/dev/null || { echo "ensure-docker: dockerd is not installed (apt-get install docker.io)" >&2; exit 1; }
  mkdir -p /tmp/vigil-dockerd
  nohup dockerd --iptables=false --ip-masq=false --bridge=none >/tmp/vigil-dockerd/dockerd.log 2>&1 &
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  docker info >/dev/null 2>&1 || { echo "ensure-docker: dockerd did not start; see /tmp/vigil-dockerd/dockerd.log" >&2; exit 1; }
fi
busybox=$(command -v busybox || true)
[ -x /bin/busybox ] && busybox=/bin/busybox
[ -n "$busybox" ] || { echo "ensure-docker: busybox is not installed (apt-get install busybox-static)" >&2; exit 1; }
for tag in 1 2; do
  if ! docker image inspect "vigil/busybox:$tag" >/dev/null 2>&1; then
    root=$(mktemp -d)
    mkdir -p "$root/bin" "$root/tmp" "$root/www"
    cp "$busybox" "$root/bin/busybox"
    for applet in sh httpd wget sleep nc echo cat ls kill ps mkdir true false env date; do ln -sf busybox "$root/bin/$applet"; done
    # The revision is visible inside the image so rollback tests can tell :1 from :2.
    echo "vigil-busybox-$tag" >"$root/www/version"
    tar -C "$root" -c . | docker import -c "ENV PATH=/bin" - "vigil/busybox:$tag" >/dev/null
    rm -rf "$root"
  fi
done
echo "ensure-docker: engine up, images vigil/busybox:1 and :2 present"
