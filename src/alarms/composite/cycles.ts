/**
 * Cycles between composite alarms. AWS lets a cycle be created but "the evaluation of composite alarms stops if
 * CloudWatch detects a cycle in the evaluation path" (API-PCA); the engine asks here before evaluating.
 */

/**
 * A cycle reachable from `start`, as the names along it (first = last), or undefined. `childrenOf` gives a
 * composite's child alarm names and undefined (or []) for a metric alarm or an unknown name.
 */
export function findCycle(
  start: string,
  childrenOf: (name: string) => readonly string[] | undefined,
): string[] | undefined {
  const done = new Set<string>();
  const path: string[] = [];
  const onPath = new Set<string>();

  const walk = (name: string): string[] | undefined => {
    if (onPath.has(name)) return [...path.slice(path.indexOf(name)), name];
    if (done.has(name)) return undefined;
    path.push(name);
    onPath.add(name);
    for (const child of childrenOf(name) ?? []) {
      const cycle = walk(child);
      if (cycle) return cycle;
    }
    path.pop();
    onPath.delete(name);
    done.add(name);
    return undefined;
  };
  return walk(start);
}
