// Entry point the Pulumi CLI loads. Constructing the pack starts the analyzer's gRPC server, so
// tests import the policy modules, never this file.
import { PolicyPack } from "@pulumi/policy";
import { createPolicies, POLICY_PACK_NAME } from "./policies";

new PolicyPack(POLICY_PACK_NAME, { policies: createPolicies() });
