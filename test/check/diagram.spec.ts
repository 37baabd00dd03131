import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { DIAGRAM_MARKER, DIAGRAM_STACK, diagramDocuments, diagramOfRun, embeddedDiagrams } from "../../scripts/render-diagram";
import { appNodeId } from "../../tools/check/diagram";
import { PROJECT_DIR, runStack } from "../util";
import { mermaidProblems } from "./mermaid";

const VALID = [
    "flowchart LR",
    '  users(("users"))',
    '  subgraph apps["apps"]',
    '    web["web-app<br/>ns web"]',
    '    lake[("S3 #quot;lake#quot;")]',
    "  end",
    '  slack>"Slack"]',
    '  users -->|"HTTPS"| web',
    '  web -.-> apps',
].join("\n");

/** `VALID` with `from` replaced by `to`. */
const broken = (from: string, to: string) => {
    assert.ok(VALID.includes(from), from);
    return VALID.replace(from, to);
};

describe("Mermaid structure check", () => {
    it("accepts every form the diagram uses", () => {
        assert.deepEqual(mermaidProblems(VALID), []);
    });

    const cases: [string, string, string, string[]][] = [
        ["a missing header", "flowchart LR", "graph", ['line 1: expected a "flowchart <direction>" header, got "graph"']],
        ["an unclosed subgraph", "  end\n", "", ['1 subgraph is not closed with "end"']],
        ["an extra end", "  end\n", "  end\n  end\n", ['line 7: "end" without an open subgraph']],
        ["an edge to an undeclared node", '|"HTTPS"| web', '|"HTTPS"| wbe', ['line 8: edge endpoint "wbe" is not declared']],
        ["a duplicate id", '  slack>"Slack"]', '  web>"Slack"]', ['line 7: id "web" is already declared on line 4']],
        ["a keyword as an id", '    web["web-app<br/>ns web"]', '    web["web-app<br/>ns web"]\n    end["x"]', ['line 5: "end" is a Mermaid keyword, not usable as an id']],
        ["a keyword as a subgraph id", 'subgraph apps["apps"]', 'subgraph style["apps"]', ['line 3: "style" is a Mermaid keyword, not usable as an id', 'line 9: edge endpoint "apps" is not declared']],
        ["an unquoted label", '  slack>"Slack"]', "  slack>Slack]", ["line 7: not a node, edge or subgraph line, or a label is not quoted: slack>Slack]"]],
        ["a raw quote inside a label", '"HTTPS"', '"HTTP"S"', ['line 8: not a node, edge or subgraph line, or a label is not quoted: users -->|"HTTP"S"| web']],
    ];
    for (const [mistake, from, to, expected] of cases) {
        it(`reports ${mistake}`, () => {
            assert.deepEqual(mermaidProblems(broken(from, to)), expected);
        });
    }
});

describe("system diagram", function () {
    this.timeout(60000);
    let diagram: string;
    let appNames: string[];

    before(async () => {
        const run = await runStack(DIAGRAM_STACK);
        appNames = run.config.apps.map((a) => a.name);
        diagram = await diagramOfRun(run);
    });

    it("is a well-formed flowchart", () => {
        assert.deepEqual(mermaidProblems(diagram), []);
    });

    it("draws one node per catalog app, inside the apps subgraph", () => {
        const lines = diagram.split("\n");
        const apps = lines.slice(lines.findIndex((l) => l.trim().startsWith("subgraph apps[")) + 1);
        const inApps = apps.slice(0, apps.findIndex((l) => l.trim() === "end")).map((l) => /^\s*(\w+)\[/.exec(l)?.[1]);
        assert.deepEqual(inApps, appNames.map(appNodeId));
    });

    it("draws the flows the prod catalog declares for its four services: devices, users, stream, lake and calls", () => {
        const services = ["device-gateway", "stream-processor", "telemetry-api", "web-app"].map(appNodeId);
        const appEdges = diagram.split("\n").filter((l) => /-->/.test(l)).map((l) => l.trim())
            .filter((l) => services.some((id) => l.startsWith(`${id} `) || l.endsWith(` ${id}`)));
        assert.deepEqual(appEdges, [
            'sites -->|"TLS 443, internal NLB"| app_device_gateway',
            'internet -->|"TLS 443, public NLB"| app_web_app',
            'app_device_gateway -->|"PutRecords"| stream',
            'stream -->|"GetRecords"| app_stream_processor',
            'lake -->|"GetObject"| app_telemetry_api',
            'app_web_app -->|"HTTP 8080"| app_telemetry_api',
        ]);
    });

    it("places monitoring, its routes to Slack and PagerDuty, and the cluster add-ons", () => {
        for (const line of [
            '  stream --> firehose',
            '  firehose -->|"GZIP, date partitions"| lake',
            '  alertmanager -->|"critical"| pagerduty',
            '  alertmanager -->|"critical, warning"| slack',
            '  alarms -->|"SNS"| pagerduty',
            '  addon_cluster_autoscaler -->|"scales"| nodes',
            '        addon_metrics_server["metrics-server 3.13.1"]',
        ]) {
            assert.ok(diagram.split("\n").includes(line), line);
        }
    });

    it("is embedded, current, in the docs", () => {
        const documents = diagramDocuments();
        assert.ok(documents.length > 0, `no document embeds the diagram after ${DIAGRAM_MARKER}`);
        for (const doc of documents) {
            for (const block of embeddedDiagrams(fs.readFileSync(path.join(PROJECT_DIR, doc), "utf8"))) {
                assert.equal(block, diagram, `${doc} embeds a stale diagram; run: node -r ./tools/register.js scripts/render-diagram.ts`);
            }
        }
    });
});
