/**
 * Business keys. A workflow id is its business key, so a retried start can never create a
 * second campaign or nomination.
 */
export function campaignId(year: number, clusterCode: string): string {
  return `${year}:${clusterCode}`;
}

export function nominationId(year: number, clusterCode: string, unitCode: string): string {
  return `${year}:${clusterCode}:${unitCode}`;
}

export function parseNominationId(id: string): { year: number; clusterCode: string; unitCode: string } | null {
  const m = /^(\d{4}):([A-Za-z0-9_-]+):([A-Za-z0-9_-]+)$/.exec(id);
  return m ? { year: Number(m[1]), clusterCode: m[2], unitCode: m[3] } : null;
}

export function parseCampaignId(id: string): { year: number; clusterCode: string } | null {
  const m = /^(\d{4}):([A-Za-z0-9_-]+)$/.exec(id);
  return m ? { year: Number(m[1]), clusterCode: m[2] } : null;
}

export const campaignWorkflowId = (id: string): string => `campaign:${id}`;
export const nominationWorkflowId = (id: string): string => `nomination:${id}`;
export const councilSessionWorkflowId = (id: string): string => `council-session:${id}`;

/** Unit and cluster codes: letters, digits, dash and underscore (they appear in ids and URLs). */
export const CODE_PATTERN = /^[A-Za-z0-9_-]{1,40}$/;
