#!/usr/bin/env bash
# Builds a container base image for Troupe without a registry or a Docker daemon: a Debian
# bookworm Java 17 runtime assembled from .deb packages (apt-get download + dpkg-deb -x, no
# maintainer scripts run) and written in the `docker save` tar layout, which Jib reads as
# `tar://FILE` (`-Djib.from.image=tar://...`). Same idea as distroless, which is also built
# from .debs. Needs a Debian/Ubuntu host with apt sources for bookworm (the packages' own
# versions are recorded in the image config's `troupe.base.debs` label).
#   usage: k8s/image/debian-base.sh OUT.tar
set -euo pipefail
out="$(realpath -m "${1:?usage: debian-base.sh OUT.tar}")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The JVM and libtorch need libc, libgcc, libstdc++ and zlib (ldd of bin/java and lib/*.so);
# DJL's libtorch jar bundles its own libgomp. Fonts, X11, ALSA and CUPS (the JRE's recommends)
# are left out: the node is headless. No ca-certificates: the Kubernetes API CA comes from the
# service-account mount and gRPC TLS from configured files, not from the JDK trust store.
debs=(libc6 gcc-12-base libgcc-s1 libstdc++6 zlib1g openjdk-17-jre-headless)
mkdir -p "$work/debs" "$work/rootfs"
# apt downloads as its sandbox user _apt, which must be able to write there.
chmod 755 "$work" && chmod 777 "$work/debs"
(cd "$work/debs" && apt-get download "${debs[@]}" >/dev/null)
for d in "$work"/debs/*.deb; do dpkg-deb -x "$d" "$work/rootfs"; done
versions="$(for d in "$work"/debs/*.deb; do dpkg-deb --showformat='${Package}=${Version}' -W "$d"; echo; done | paste -sd' ')"

root="$work/rootfs"
# World-writable /tmp (the JVM's and DJL's scratch space) and a passwd entry for the
# non-root user the image runs as (65532, the distroless "nonroot" id), so user.home resolves.
install -d -m 1777 "$root/tmp"
install -d "$root/etc" "$root/home/troupe"
chown 65532:65532 "$root/home/troupe"
printf 'root:x:0:0:root:/root:/usr/sbin/nologin\ntroupe:x:65532:65532:troupe:/home/troupe:/usr/sbin/nologin\n' > "$root/etc/passwd"
printf 'root:x:0:\ntroupe:x:65532:\n' > "$root/etc/group"

# A reproducible layer: sorted entries, fixed mtime and numeric owners.
tar --sort=name --mtime=@0 --numeric-owner --owner=0 --group=0 -C "$root" -cf "$work/layer.tar" \
  --exclude=./home/troupe .
tar --mtime=@0 --numeric-owner -C "$root" -rf "$work/layer.tar" ./home/troupe
diff_id="sha256:$(sha256sum "$work/layer.tar" | cut -d' ' -f1)"
java_home=/usr/lib/jvm/java-17-openjdk-amd64

cat > "$work/config.json" <<JSON
{"architecture":"amd64","os":"linux",
 "config":{"Env":["PATH=$java_home/bin:/usr/bin:/bin","JAVA_HOME=$java_home","LANG=C.UTF-8"],
           "Labels":{"troupe.base.debs":"$versions"}},
 "rootfs":{"type":"layers","diff_ids":["$diff_id"]}}
JSON
printf '[{"Config":"config.json","RepoTags":["troupe-base:bookworm-jre17"],"Layers":["layer.tar"]}]\n' \
  > "$work/manifest.json"
mkdir -p "$(dirname "$out")"
tar --mtime=@0 --numeric-owner -C "$work" -cf "$out" manifest.json config.json layer.tar
echo "base image: $out ($versions)"
