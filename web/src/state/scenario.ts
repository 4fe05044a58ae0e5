// The what-if scenario: the edits made to the centers, as a stack that undo pops.
// Each edit knows its inverse: an added site is removed again, a closed center restored,
// a reopened center closed again.

export type Edit =
  | { kind: "add"; id: string; lon: number; lat: number; name: string; tier?: string }
  | { kind: "remove"; id: string; name: string }
  | { kind: "restore"; id: string; name: string };

export class Scenario {
  private edits: Edit[] = [];

  push(edit: Edit): void {
    this.edits.push(edit);
  }

  pop(): Edit | undefined {
    return this.edits.pop();
  }

  clear(): void {
    this.edits = [];
  }

  get size(): number {
    return this.edits.length;
  }

  list(): readonly Edit[] {
    return this.edits;
  }
}
