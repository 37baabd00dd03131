#!/usr/bin/env bash
# Checks what the Monitoring component ships, for every shipped stack file, with the real tools:
#   promtool check rules     the platform's alerting rules and every Grafana dashboard query
#   amtool check-config      the Alertmanager config, every receiver present
# Then proves the check bites: a rule file with a broken expression must fail promtool.
# Needs the Debian packages `prometheus` (promtool) and `prometheus-alertmanager` (amtool).
set -euo pipefail

cd "$(dirname "$0")/.."
for tool in promtool amtool; do
    command -v "$tool" >/dev/null || { echo "check-monitoring: $tool not found; apt-get install -y prometheus prometheus-alertmanager" >&2; exit 1; }
done

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

node -r ./tools/register.js scripts/render-monitoring.ts "$out" >/dev/null

for dir in "$out"/*/; do
    stack="$(basename "$dir")"
    echo "== $stack"
    promtool check rules "$dir/rules.yaml" "$dir/dashboard-queries.yaml"
    amtool check-config "$dir/alertmanager.yaml"
done

# Self-check: the same pipeline must reject a broken expression.
cat >"$out/broken.yaml" <<'EOF'
groups:
  - name: self-check
    rules:
      - alert: Broken
        expr: sum by (namespace (kube_pod_info)
EOF
if promtool check rules "$out/broken.yaml" >/dev/null 2>&1; then
    echo "check-monitoring: promtool accepted a broken expression; the check proves nothing" >&2
    exit 1
fi
echo "self-check: promtool rejects a broken expression"
echo "check-monitoring: OK"
