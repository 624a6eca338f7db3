/** The decision DTOs refuse free text that says nothing: a reason of only spaces is a 400, named. */
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { AmendmentDto, GovernmentDecisionDto, ReviewDto, RevocationDto, WithdrawDto } from './dto';

async function messages(cls: new () => object, body: object): Promise<string[]> {
  const errors = await validate(plainToInstance(cls, body), { whitelist: true, forbidNonWhitelisted: true });
  return errors.flatMap((e) => Object.values(e.constraints ?? {}));
}

describe('free text of decisions', () => {
  it.each([
    ['review reason', ReviewDto, { decision: 'RETURN', reason: ' \n\t ' }, 'reason must not be blank'],
    ['amendment note', AmendmentDto, { achievementReport: 'Báo cáo đã bổ sung', note: '   ' }, 'note must not be blank'],
    ['amendment report', AmendmentDto, { achievementReport: '  ', note: 'Bổ sung biên bản' }, 'achievementReport must not be blank'],
    ['withdrawal reason', WithdrawDto, { reason: '　 ' }, 'reason must not be blank'],
    ['Government decision number', GovernmentDecisionDto, { decision: 'AWARDED', decisionNumber: ' ' }, 'decisionNumber must not be blank'],
  ])('refuses a blank %s', async (_name, cls, body, message) => {
    expect(await messages(cls, body)).toContain(message);
  });

  it('accepts Vietnamese text with surrounding spaces', async () => {
    expect(await messages(ReviewDto, { decision: 'RETURN', reason: '  Thiếu biên bản họp cụm  ' })).toEqual([]);
  });

  it('still bounds the length', async () => {
    expect((await messages(RevocationDto, { title: 'MINISTRY_FLAG', reason: 'x'.repeat(10_001), decisionNumber: '99/QĐ-BTP' })).join()).toMatch(/reason/);
  });
});
