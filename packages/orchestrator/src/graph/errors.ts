import type { DependencyProblem } from "./problems.ts";

/** The services cannot be ordered (cycle, self or unknown dependency) or an unknown name was asked for. */
export class GraphError extends Error {
  override readonly name = "GraphError";
  readonly problems: DependencyProblem[];

  constructor(message: string, problems: DependencyProblem[] = []) {
    super(message);
    this.problems = problems;
  }

  static fromProblems(problems: DependencyProblem[]): GraphError {
    const lines = problems.map((p) => `services.${p.service}.depends_on: ${p.message}`);
    return new GraphError(lines.join("\n"), problems);
  }
}
