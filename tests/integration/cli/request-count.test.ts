// Issue 13: how many requests the seed's three-party sum takes, through the mailbox and through
// one queue per direction (the relay's X-Relay-Exchange hidden by a counting proxy, so that the
// parties fall back to PollingHttpChannel as against a relay without the mailbox).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectPartyResults, plaintextResult, ROOT, runCli, startFaultProxy, startRelay, type FaultTally, type StartedRelay } from '../../helpers';

const SUM = `${ROOT}static/examples/sum.garble.rs`;
const INPUTS = ['2u32', '10u32', '100u32'];
let relay: StartedRelay;

beforeAll(async () => {
	relay = await startRelay();
});

afterAll(async () => {
	await relay?.stop();
});

/** Runs the sum through a counting proxy; resolves with what the proxy saw. */
async function countedSum(session: string, hideHeaders: string[]): Promise<FaultTally> {
	const proxy = await startFaultProxy({ target: relay.url, hideHeaders });
	try {
		const parties = INPUTS.map((input, party) => runCli(['party', proxy.url, `--session=${session}`, `--program=${SUM}`, `--party=${party}`, `--input=${input}`, '-q']));
		expectPartyResults(await Promise.all(parties), plaintextResult(readFileSync(SUM, 'utf8'), INPUTS));
		return proxy.tally;
	} finally {
		await proxy.close();
	}
}

const total = (tally: FaultTally) => Object.values(tally.requests).reduce((sum, count) => sum + count, 0);

it('takes far fewer requests through the mailbox than with one queue per direction, for the same result', async () => {
	const mailbox = await countedSum('count-mailbox', []);
	const queues = await countedSum('count-queues', ['x-relay-exchange']);
	const counts = `mailbox ${JSON.stringify(mailbox.requests)}, queues ${JSON.stringify(queues.requests)}`;
	expect(mailbox.requests.send ?? 0, counts).toBe(0);
	expect(queues.requests.exchange ?? 0, counts).toBe(0);
	// Today about 25 requests per party instead of about 130: at least halved, whatever the timing.
	expect(total(mailbox) * 2, counts).toBeLessThan(total(queues));
});
