/**
 * GET /rule-sets: the versioned rule sets (bộ quy tắc) with every setting and how each counts the
 * votes, read-only (rule sets are code; a new one is a new version).
 */
import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { clusterCounting, councilCounting, findRuleSet, listRuleSets, type RuleSet } from '@tdkt/domain';

/** A rule set as GET /rule-sets shows it: every setting, how it counts (defaults resolved), and whether a new campaign gets it. */
function ruleSetView(r: RuleSet) {
  return {
    ...r,
    newest: findRuleSet(r.id)?.version === r.version,
    counting: { clusterVote: clusterCounting(r.clusterVote), council: councilCounting(r.council) },
  };
}

export class RuleSetQueryDto {
  @ApiPropertyOptional({ example: 1, description: 'a pinned version; absent: the newest' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  version?: number;
}

const RULE_SET_SCHEMA = {
  type: 'object',
  required: ['id', 'version', 'description', 'clusterVote', 'council', 'newest', 'counting'],
  properties: {
    id: { type: 'string', example: 'strict' },
    version: { type: 'integer', example: 1 },
    description: { type: 'string' },
    clusterVote: { type: 'object', description: 'quorum, selection threshold, allowSelfVote, abstentions, abstentionsInQuorum (absent: the default)' },
    council: { type: 'object', description: 'quorum, flagThreshold, abstentions, abstentionsInQuorum, conflicts, conflictsInQuorum (absent: the default)' },
    eligibility: { type: 'object' },
    governmentFlag: { type: 'object' },
    reminders: { type: 'object' },
    deadlines: { type: 'object' },
    newest: { type: 'boolean', description: 'a campaign started with this id now gets this version' },
    counting: {
      type: 'object',
      description: 'how votes are counted, every setting resolved: clusterVote {allowSelfVote, base, abstentions, abstentionsInQuorum}, council {base, abstentions, abstentionsInQuorum, conflicts, conflictsInQuorum}',
    },
  },
};

/**
 * The versioned rule sets (bộ quy tắc) a campaign can be started with (`ruleSet` of POST
 * /campaigns: the newest version of that id is pinned to the campaign), and the pinned versions of
 * campaigns already running. Read-only: rule sets are code, a new one is a new version.
 */
@ApiTags('rule-sets')
@ApiBearerAuth()
@Controller('rule-sets')
export class RuleSetsController {
  @Get()
  @ApiOperation({ summary: 'every rule set and version, by id then version' })
  @ApiOkResponse({ description: '{ items, total }', schema: { type: 'object', required: ['items', 'total'], properties: { items: { type: 'array', items: RULE_SET_SCHEMA }, total: { type: 'integer' } } } })
  list() {
    const items = [...listRuleSets()].sort((a, b) => a.id.localeCompare(b.id) || a.version - b.version).map(ruleSetView);
    return { items, total: items.length };
  }

  @Get(':id')
  @ApiOperation({ summary: 'one rule set: its newest version, or ?version=' })
  @ApiOkResponse({ schema: RULE_SET_SCHEMA })
  get(@Param('id') id: string, @Query() q: RuleSetQueryDto) {
    const ruleSet = findRuleSet(id, q.version);
    if (!ruleSet) throw new NotFoundException(`no rule set ${id}${q.version === undefined ? '' : ` version ${q.version}`}`);
    return ruleSetView(ruleSet);
  }
}
