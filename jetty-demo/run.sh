#!/usr/bin/env bash
# Builds the reference web application and serves it on Jetty 12 at http://localhost:8080/ (metrics at /metrics).
# PORT and HOST change the port (8080) and the listening address (127.0.0.1). Stop with Ctrl-C.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mvn -q -B -f "$root/pom.xml" -DskipTests package
mvn -q -B -f "$root/jetty-demo/pom.xml" package
exec java -cp "$root/jetty-demo/target/jetty-demo.jar:$root/jetty-demo/target/lib/*" \
    io.promlet.jettydemo.JettyDemo "$root/target/promlet-demo.war"
