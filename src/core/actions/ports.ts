/** Runs detection now and says whether the incident's signal is still firing. */
export interface SignalRechecker {
  recheck(incidentId: string): Promise<string>;
}
