/** Said on a step or a refused action of a service another cluster instance runs (`node:`). */
export const runsOn = (node: string): string => `runs on node ${node}: that instance starts and stops it`;
