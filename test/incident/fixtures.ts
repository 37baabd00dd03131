/** Stack configs with PagerDuty managed by the program. */
import { CREDENTIAL_KEYS, PROJECT } from "../../stacks/config";
import { withConfig } from "../util";

const TARGETS = [
    [{ type: "schedule", id: "PSCHED1" }],
    [{ type: "schedule", id: "PSCHED2" }],
    [{ type: "user", id: "PUSER01" }],
    [{ type: "user", id: "PUSER02" }, { type: "schedule", id: "PSCHED3" }],
];

/** prod's stack file with PagerDuty opted in and a target on every level. */
export function managedConfig(edit: (escalation: any) => void = () => undefined): Record<string, string> {
    const config = withConfig("prod", "incident", (c) => {
        c.value.escalation.levels.forEach((level: any, i: number) => { level.targets = TARGETS[i].map((t) => ({ ...t })); });
        edit(c.value.escalation);
    });
    config["iot-platform:pagerdutyToken"] = "offline-placeholder-secret";
    return config;
}

/** Every credential key, as `pulumi config set --secret` marks them. */
export const SECRET_CREDENTIALS: readonly string[] = CREDENTIAL_KEYS.map((key) => `${PROJECT}:${key}`);
