/** Entry point (loaded by index.html as an ES module): the routes of the app. */
import { route, setLoginPage, start } from './app.js';
import { auditPage, timelinePage } from './page-audit.js';
import { ballotPage, campaignPage, campaignsPage } from './page-campaign.js';
import { councilPage, councilSessionPage, governmentPage } from './page-council.js';
import { homePage, loginPage } from './page-home.js';
import { nominationPage, nominationsPage, reviewQueuePage } from './page-nomination.js';
import { overviewPage } from './page-overview.js';
import { registryPage } from './page-registry.js';

const ID = '([^/?]+)';
const QUERY = '(?:\\?(.*))?';

setLoginPage(loginPage);
route(new RegExp(`^/${QUERY}$`), homePage);
route(new RegExp(`^/campaigns${QUERY}$`), campaignsPage);
route(new RegExp(`^/campaigns/${ID}/ballot$`), ballotPage, ['UNIT_LEADER']);
route(new RegExp(`^/campaigns/${ID}$`), campaignPage);
route(new RegExp(`^/nominations${QUERY}$`), nominationsPage);
route(new RegExp(`^/nominations/${ID}$`), nominationPage);
route(/^\/review$/, reviewQueuePage, ['DEPARTMENT_REVIEWER']);
route(new RegExp(`^/council${QUERY}$`), councilPage, ['COUNCIL_CHAIR', 'COUNCIL_MEMBER', 'DEPARTMENT_REVIEWER', 'AUDITOR', 'ADMIN']);
route(new RegExp(`^/council/${ID}$`), councilSessionPage, ['COUNCIL_CHAIR', 'COUNCIL_MEMBER', 'DEPARTMENT_REVIEWER', 'AUDITOR', 'ADMIN']);
route(new RegExp(`^/government${QUERY}$`), governmentPage, ['DEPARTMENT_REVIEWER']);
route(new RegExp(`^/audit${QUERY}$`), auditPage, ['AUDITOR', 'ADMIN']);
route(new RegExp(`^/timeline/${ID}$`), timelinePage);
route(new RegExp(`^/overview${QUERY}$`), overviewPage);
// GET /registry is open to every signed-in user; importing and revoking are the Department's and the administrator's.
route(new RegExp(`^/registry${QUERY}$`), registryPage);
start();
