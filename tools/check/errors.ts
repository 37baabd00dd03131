/** Exit 2: the program, its config or the policy config failed before any verdict. */
export class CheckSetupError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "CheckSetupError";
    }
}
