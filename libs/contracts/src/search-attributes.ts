/**
 * Search attributes set by the workflows, so `temporal workflow list --query "TdktStage='COUNCIL_DECISION'"`
 * and the Web UI find any nomination by year, cluster, unit and stage. The server registers them
 * from infra/temporal-search-attributes.json (a unit test keeps the two in step).
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const SA_KIND = defineSearchAttributeKey('TdktKind', SearchAttributeType.KEYWORD);
export const SA_YEAR = defineSearchAttributeKey('TdktYear', SearchAttributeType.INT);
export const SA_CLUSTER = defineSearchAttributeKey('TdktCluster', SearchAttributeType.KEYWORD);
export const SA_UNIT = defineSearchAttributeKey('TdktUnit', SearchAttributeType.KEYWORD);
export const SA_STAGE = defineSearchAttributeKey('TdktStage', SearchAttributeType.KEYWORD);

export const ALL_SEARCH_ATTRIBUTES = [SA_KIND, SA_YEAR, SA_CLUSTER, SA_UNIT, SA_STAGE];
