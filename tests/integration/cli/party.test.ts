// The seed's flow as a user runs it: `polytune serve`, then `polytune pre` and `polytune party`
// as separate processes, through the relay (issue 5).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAnswer } from '../../../src/lib/channel/mailbox-wire';
import type { ConstInputs } from '../../../src/lib/garble';
import { RelayClient } from '../../../src/lib/channel/relay-client';
import {
	dealerLink,
	dealerPublicKey,
	DEALER_TRUST,
	formatSessionKey,
	newDealerGrant,
	newSlotIdentities,
	parseSessionKey,
	personalLink,
	publishSessionInfo,
	sessionInfoDigest,
	sessionLink,
	UNAUTHENTICATED_DEALER,
	type SessionInfo
} from '../../../src/lib/party';
import { expectPartyResults, explainRun, joinedParties, plaintextResult, ROOT, runCli, startCli, startRelay, type ProcessResult, type StartedRelay } from '../../helpers';

const EXAMPLES = `${ROOT}static/examples`;
const SUM = `${EXAMPLES}/sum.garble.rs`;
const dir = mkdtempSync(join(tmpdir(), 'polytune-party-'));
let relay: StartedRelay;
let sessions = 0;

beforeAll(async () => {
	relay = await startRelay();
});

afterAll(async () => {
	await relay?.stop();
});

/** A fresh session name per run, so that runs never see each other's messages. */
const fresh = (name: string) => `${name}-${++sessions}`;
const newKey = () => formatSessionKey(randomBytes(32));

function programFile(name: string, source: string): string {
	const file = join(dir, name);
	writeFileSync(file, source);
	return file;
}

const lastLine = (result: ProcessResult) => result.stdout.trim().split('\n').at(-1);

interface PartyRun {
	program: string;
	input: string;
	args?: string[];
}

interface SessionRun {
	parties: PartyRun[];
	/** Start `polytune pre` first, as in the seed. */
	dealer?: boolean;
	/** Arguments for the dealer alone, e.g. `--program=…`. */
	dealerArgs?: string[];
	/** Arguments for every process (after the URL), e.g. `--key=…`. */
	args?: string[];
	/** The URL or session link; default: the relay with `--session`. */
	url?: string;
	/** Run only these parties (the others never join). */
	only?: number[];
}

/**
 * Resolves once the dealer is listed in the session (or its process has ended): the parties'
 * automatic choice takes the dealer only if it is there, so the seed starts `pre` first.
 */
async function dealerJoined(where: string[], dealer: Promise<ProcessResult>): Promise<void> {
	const url = new URL(where[0]);
	const session = where[1]?.replace('--session=', '') ?? url.pathname.split('/').at(-1);
	let ended = false;
	void dealer.finally(() => (ended = true));
	const deadline = Date.now() + 30_000;
	while (!ended && Date.now() < deadline) {
		if ((await joinedParties(url.origin, session)).includes(255)) return;
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

/** Starts the dealer (when asked, and waits until it has joined) and the parties, each as its own process; resolves with all results. */
async function runSession(run: SessionRun) {
	const where = run.url ? [run.url] : [relay.url, `--session=${fresh('s')}`];
	const args = run.args ?? [];
	const dealer = run.dealer ? runCli(['pre', ...where, ...args, ...(run.dealerArgs ?? []), `--parties=${run.parties.length}`]) : undefined;
	if (dealer) await dealerJoined(where, dealer);
	const parties = run.parties
		.map((p, party) => ({ p, party }))
		.filter(({ party }) => !run.only || run.only.includes(party))
		.map(({ p, party }) => runCli(['party', ...where, ...args, `--program=${p.program}`, `--party=${party}`, `--input=${p.input}`, ...(p.args ?? [])]));
	return { parties: await Promise.all(parties), dealer: await dealer };
}

/** The program's result in plaintext: the reference every party's output is checked against. */
const reference = (file: string, inputs: string[], consts?: ConstInputs) => plaintextResult(readFileSync(file, 'utf8'), inputs, consts);

function expectFailure(result: ProcessResult | undefined, pattern: RegExp) {
	expect(result, 'no such process').toBeDefined();
	expect(result!.code, explainRun(result!)).toBe(1);
	expect(result!.stderr, explainRun(result!)).toMatch(pattern);
	expect(result!.stdout).not.toContain('The result is');
}

const sum = (inputs: string[]): PartyRun[] => inputs.map((input) => ({ program: SUM, input }));

describe('the seed flow: polytune serve, pre and party', () => {
	it("computes the README's three-party sum: without a key the parties do not trust the unauthenticated dealer and use OT", async () => {
		const inputs = ['2u32', '10u32', '100u32'];
		const { parties, dealer } = await runSession({ parties: sum(inputs), dealer: true });
		expect(reference(SUM, inputs)).toBe('112');
		expectPartyResults(parties, '112');
		expect(dealer!.code, explainRun(dealer!)).toBe(0);
		expect(dealer!.stderr).toMatch(/the parties of session 's-\d+' chose OT preprocessing; the dealer is not needed/);
		expect(dealer!.stderr).toContain(UNAUTHENTICATED_DEALER);
		for (const r of [...parties, dealer!]) expect(r.stderr).toContain('no session key (--key): messages cross the relay in plaintext');
		for (const r of parties) expect(r.stderr).not.toContain(DEALER_TRUST);
	});

	it('computes the three-party sum in plaintext with the dealer when every party chooses it', async () => {
		const inputs = ['2u32', '10u32', '100u32'];
		const { parties, dealer } = await runSession({ parties: sum(inputs).map((p) => ({ ...p, args: ['--preprocessing=dealer'] })), dealer: true });
		expectPartyResults(parties, reference(SUM, inputs));
		expect(dealer!.code, explainRun(dealer!)).toBe(0);
		expect(dealer!.stderr).toMatch(/preprocessing dealt to 3 parties of session 's-\d+', general \(with --program, made for the circuit: half the bytes\)/);
		for (const r of parties) expect(r.stderr).toContain(`polytune party: ${DEALER_TRUST} ${UNAUTHENTICATED_DEALER}`);
	});

	it("deals for the program's circuit given --program, and a dealer given another program stops the run saying so", async () => {
		const other = programFile('product.garble.rs', 'pub fn main(x: u32, y: u32, z: u32) -> u32 {\n    x * y * z\n}\n');
		const withDealer = (inputs: string[]) => sum(inputs).map((p) => ({ ...p, args: ['--preprocessing=dealer'] }));
		const [right, wrong] = await Promise.all([
			runSession({ parties: withDealer(['5u32', '6u32', '7u32']), dealer: true, dealerArgs: [`--program=${SUM}`], args: ['-q'] }),
			runSession({ parties: withDealer(['1u32', '2u32', '3u32']), dealer: true, dealerArgs: [`--program=${other}`], args: ['-q'] })
		]);
		expectPartyResults(right.parties, reference(SUM, ['5u32', '6u32', '7u32']));
		expect(right.dealer!.code, explainRun(right.dealer!)).toBe(0);
		for (const r of wrong.parties) expectFailure(r, /the dealer needs the parties' program/);
		expectFailure(wrong.dealer, /the parties run another circuit \(digest [0-9a-f]{64}\) than the program the dealer knows/);
	});

	it('tells what is wrong with a dealer program: where it does not compile, and that it takes constants from the parties', async () => {
		const broken = programFile('broken.garble.rs', 'pub fn main(x: u32, y: u32) -> u32 {\n    x + z\n}\n');
		const file = `${EXAMPLES}/common_customers.garble.rs`;
		const inputs = ['[([0, 0, 0, 0, 0, 0, 0, 1], 7)]', '[([0, 0, 0, 0, 0, 0, 0, 1], 8), ([0, 0, 0, 0, 0, 0, 0, 2], 9)]'];
		const [bad, withConsts] = await Promise.all([
			runCli(['pre', relay.url, `--session=${fresh('broken')}`, '--parties=2', `--program=${broken}`, '--timeout=10s']),
			runSession({
				parties: [
					{ program: file, input: inputs[0], args: ['--const', 'ROWS=1', '--preprocessing=dealer'] },
					{ program: file, input: inputs[1], args: ['--const', 'ROWS=2', '--preprocessing=dealer'] }
				],
				dealer: true,
				dealerArgs: [`--program=${file}`]
			})
		]);
		expect(bad.code, explainRun(bad)).toBe(65);
		expect(bad.stderr).toContain(`on line 2:9 of ${broken}.`);
		expectPartyResults(withConsts.parties, reference(file, inputs, { PARTY_0: { ROWS: 1 }, PARTY_1: { ROWS: 2 } }));
		expect(withConsts.dealer!.stderr).toMatch(/preprocessing dealt to 2 parties of session 's-\d+', general \(the program takes constants from the parties\)/);
	});

	it('computes the three-party sum without a dealer (OT), sealed with a key', async () => {
		const inputs = ['7u32', '8u32', '9u32'];
		const { parties } = await runSession({ parties: sum(inputs), args: [`--key=${newKey()}`, '--quiet'] });
		expectPartyResults(parties, reference(SUM, inputs));
		for (const r of parties) expect(r.stderr).toBe('');
	});

	it('releases a dealer that the parties do not use', async () => {
		const inputs = ['1u32', '2u32', '3u32'];
		const parties = sum(inputs).map((p) => ({ ...p, args: ['--preprocessing=ot'] }));
		const run = await runSession({ parties, dealer: true, args: [`--key=${newKey()}`] });
		expectPartyResults(run.parties, '6');
		expect(run.dealer!.code, explainRun(run.dealer!)).toBe(0);
		expect(run.dealer!.stderr).toMatch(/the parties of session 's-\d+' chose OT preprocessing; the dealer is not needed/);
	});

	it('runs two sessions at once on one relay: two parties by session link, five parties with a key, each with the dealer its `pre` granted', async () => {
		const millionaires = `${EXAMPLES}/millionaires.garble.rs`;
		const twoInputs = ['4000000u64', '3500000u64'];
		const five = programFile('five.garble.rs', 'pub fn main(a: u16, b: u16, c: u16, d: u16, e: u16) -> u16 {\n    (a + b) * c - (d ^ e)\n}\n');
		const fiveInputs = ['3u16', '4u16', '5u16', '6u16', '7u16'];
		const link = `${relay.url}/s/${fresh('link')}#key=${newKey()}`;
		const [two, many] = await Promise.all([
			runSession({ url: link, parties: twoInputs.map((input) => ({ program: millionaires, input })), dealer: true, args: ['-q'] }),
			runSession({ parties: fiveInputs.map((input) => ({ program: five, input })), dealer: true, args: [`--key=${newKey()}`] })
		]);
		expectPartyResults(two.parties, reference(millionaires, twoInputs));
		expect(lastLine(two.parties[0])).toBe('The result is Wealthier::First');
		expectPartyResults(many.parties, reference(five, fiveInputs));
		expect(many.dealer!.code, explainRun(many.dealer!)).toBe(0);
		expect(many.parties[0].stderr).not.toContain('plaintext');
	});

	it('reuses a session name: after a run without the dealer and after a failed run, a run with the dealer works', async () => {
		const url = `${relay.url}/s/${fresh('again')}`;
		const inputs = ['1u32', '2u32', '3u32'];
		expectPartyResults((await runSession({ url, parties: sum(inputs), args: ['-q'] })).parties, '6');
		const broken = sum(inputs);
		broken[2] = { program: programFile('other.garble.rs', 'pub fn main(x: u32, y: u32, z: u32) -> u32 {\n    x * y * z\n}\n'), input: '3u32' };
		for (const r of (await runSession({ url, parties: broken, args: ['-q'] })).parties) expect(r.code, explainRun(r)).toBe(1);
		const withDealer = sum(['4u32', '5u32', '6u32']).map((p) => ({ ...p, args: ['--preprocessing=dealer'] }));
		const again = await runSession({ url, parties: withDealer, dealer: true, args: ['-q'] });
		expectPartyResults(again.parties, '15');
		expect(again.dealer!.code, explainRun(again.dealer!)).toBe(0);
	});

	it('refuses an outsider who knows only the session name: it reads nothing between parties 0 and 1, and the run finishes right', async () => {
		const session = fresh('outsider');
		const inputs = ['11u32', '22u32', '33u32'];
		const start = (party: number) => runCli(['party', relay.url, `--session=${session}`, `--program=${SUM}`, `--party=${party}`, `--input=${inputs[party]}`, '-q']);
		const firstTwo = [start(0), start(1)];
		await expect.poll(() => joinedParties(relay.url, session), { timeout: 30_000 }).toEqual([0, 1]);
		const outsiderToken = randomBytes(16).toString('hex');
		const request = (method: string, path: string, token?: string) =>
			fetch(`${relay.url}${path}`, { method, headers: token ? { 'X-Relay-Token': token } : {} }).then(async (r) => (await r.body?.cancel(), r.status));
		expect(await request('PUT', `/join/${session}/1`, outsiderToken)).toBe(409);
		expect(await request('DELETE', `/join/${session}/1`)).toBe(401);
		// Until the run is over the outsider keeps asking for what 0 and 1 send each other, without a token and with its own.
		let running = true;
		const answers: number[] = [];
		const outsider = (async () => {
			while (running) {
				for (const [from, to] of [[0, 1], [1, 0]]) {
					answers.push(await request('POST', `/recv/${session}/${from}/${to}`), await request('POST', `/recv/${session}/${from}/${to}`, outsiderToken));
				}
				await new Promise((resolve) => setTimeout(resolve, 20));
			}
		})();
		const results = await Promise.all([...firstTwo, start(2)]);
		running = false;
		await outsider;
		expectPartyResults(results, reference(SUM, inputs));
		expect(answers.length).toBeGreaterThan(4);
		expect(new Set(answers)).toEqual(new Set([401, 403]));
	});

	it('computes a two-party program with constants each party supplies', async () => {
		const file = `${EXAMPLES}/common_customers.garble.rs`;
		const inputs = [
			'[([0, 0, 0, 0, 0, 0, 0, 1], 120), ([0, 0, 0, 0, 0, 0, 0, 2], 80), ([0, 0, 0, 0, 0, 0, 0, 5], 40)]',
			'[([0, 0, 0, 0, 0, 0, 0, 1], 30), ([0, 0, 0, 0, 0, 0, 0, 3], 10), ([0, 0, 0, 0, 0, 0, 0, 5], 60), ([0, 0, 0, 0, 0, 0, 0, 9], 5)]'
		];
		const { parties } = await runSession({
			parties: [
				{ program: file, input: inputs[0], args: ['--const', 'ROWS=3'] },
				{ program: file, input: inputs[1], args: ['--const', 'PARTY_1::ROWS=4'] }
			],
			dealer: true,
			args: [`--key=${newKey()}`]
		});
		expectPartyResults(parties, reference(file, inputs, { PARTY_0: { ROWS: 3 }, PARTY_1: { ROWS: 4 } }));
		expect(lastLine(parties[0])).toBe('The result is (2, 250)');
	});
});

describe('the dealer as a role the session grants (issue 12)', () => {
	it('`pre` with a key creates the session granting itself; its parties take that dealer, and no other can deal', async () => {
		const session = fresh('grant');
		const key = newKey();
		const partyLink = `${relay.url}/s/${session}#key=${key}`;
		const dealer = startCli(['pre', relay.url, `--session=${session}`, `--key=${key}`, '--parties=3']);
		try {
			// Printed last: the dealer's own link, to run it again.
			const [dealerLink] = await dealer.waitFor(/http:\/\/\S+\/dealer#key=\S+&dealer=[A-Za-z0-9_-]{43}/);
			const [, fingerprint] = dealer.stderr().match(/created session '[^']+', granting this dealer \(key fingerprint ([0-9a-f ]{19})\)/)!;
			expect(dealer.stderr()).toContain(`the parties join with: ${partyLink}`);
			const [byPartyLink, otherSecret, asParty] = await Promise.all([
				runCli(['pre', partyLink, '--timeout=10s']),
				runCli(['pre', partyLink, `--dealer-secret=${formatSessionKey(newDealerGrant().secret)}`, '--timeout=10s']),
				runCli(['party', dealerLink, `--program=${SUM}`, '--party=0', '--input=1u32'])
			]);
			expectFailure(byPartyLink, new RegExp(`^polytune pre: session '${session}' grants its own dealer \\(key fingerprint ${fingerprint}\\): give the dealer link or --dealer-secret; a party link cannot deal$`, 'm'));
			expectFailure(otherSecret, new RegExp(`session '${session}' grants another dealer \\(key fingerprint ${fingerprint}\\); this secret's key has fingerprint`));
			expect(asParty.code, explainRun(asParty)).toBe(64);
			expect(asParty.stderr).toContain("this is the dealer's link (it carries the dealer secret): parties join with the party link");

			const inputs = ['3u32', '4u32', '5u32'];
			const parties = await Promise.all(inputs.map((input, party) => runCli(['party', partyLink, `--program=${SUM}`, `--party=${party}`, `--input=${input}`])));
			expectPartyResults(parties, reference(SUM, inputs));
			for (const r of parties) expect(r.stderr).toContain(`polytune party: ${DEALER_TRUST} (Dealer key fingerprint ${fingerprint}.)`);
			await dealer.exited;
			expect(dealer.stderr()).toMatch(/preprocessing dealt to 3 parties of session/);
		} finally {
			await dealer.stop();
		}
	});

	it('`pre` with a key checks its program against --parties before it creates the session, so that the corrected command can', async () => {
		const session = fresh('checked');
		const key = newKey();
		const twoParties = programFile('two-parties.garble.rs', 'pub fn main(x: u32, y: u32) -> u32 {\n    x + y\n}\n');
		const wrong = await runCli(['pre', relay.url, `--session=${session}`, `--key=${key}`, '--parties=3', `--program=${twoParties}`]);
		expect(wrong.code, explainRun(wrong)).toBe(65);
		expect(wrong.stderr).toContain('polytune pre: the program has 2 parties, not 3');
		expect(wrong.stderr).not.toContain('created session');
		const dealer = startCli(['pre', relay.url, `--session=${session}`, `--key=${key}`, '--parties=2', `--program=${twoParties}`]);
		try {
			await dealer.waitFor(/created session '[^']+', granting this dealer/);
		} finally {
			await dealer.stop();
		}
	});

	it('joins by personal links: each names its party, and a shared link or another party number is refused', async () => {
		const session = fresh('personal');
		const key = parseSessionKey(newKey());
		const { secrets, publicKeys } = newSlotIdentities(3);
		const info: SessionInfo = { preprocessing: 'ot', parties: 3, slotKeys: publicKeys };
		expect(await publishSessionInfo(new RelayClient({ url: relay.url }), session, key, info)).toBe(true);
		const links = secrets.map((secret, party) => personalLink(relay.url, session, key, sessionInfoDigest(info), { party, secret }));
		const [shared, contradicting] = await Promise.all([
			runCli(['party', sessionLink(relay.url, session, key), `--program=${SUM}`, '--party=0', '--input=1u32']),
			runCli(['party', links[1], `--program=${SUM}`, '--party=2', '--input=1u32'])
		]);
		expect(shared.code, explainRun(shared)).toBe(65);
		expect(shared.stderr).toContain('this session gives every party a personal link: join with yours');
		expect(contradicting.code, explainRun(contradicting)).toBe(64);
		expect(contradicting.stderr).toContain("--party 2 differs from the personal link's party 1");

		const inputs = ['3u32', '40u32', '500u32'];
		const parties = await Promise.all(inputs.map((input, party) => runCli(['party', links[party], `--program=${SUM}`, `--input=${input}`])));
		expectPartyResults(parties, reference(SUM, inputs));
	});

	it('deals to personal links with the dealer link: the dealer takes each call signed by its party', async () => {
		const session = fresh('personal-dealer');
		const key = parseSessionKey(newKey());
		const grant = newDealerGrant();
		const { secrets, publicKeys } = newSlotIdentities(3);
		const info: SessionInfo = { preprocessing: 'dealer', parties: 3, dealer: dealerPublicKey(grant.secret), slotKeys: publicKeys };
		expect(await publishSessionInfo(new RelayClient({ url: relay.url }), session, key, info)).toBe(true);
		const pinned = sessionInfoDigest(info);
		const dealer = runCli(['pre', dealerLink(relay.url, session, key, grant.secret, pinned), '--timeout=60s']);
		const inputs = ['7u32', '80u32', '900u32'];
		const parties = await Promise.all(
			inputs.map((input, party) => runCli(['party', personalLink(relay.url, session, key, pinned, { party, secret: secrets[party] }), `--program=${SUM}`, `--input=${input}`]))
		);
		expectPartyResults(parties, reference(SUM, inputs));
		const dealt = await dealer;
		expect(dealt.code, explainRun(dealt)).toBe(0);
		expect(dealt.stderr).toMatch(/preprocessing dealt to 3 parties of session/);
	});

	it("deals for the program in the session's info, and refuses a --program that differs from it", async () => {
		const session = fresh('info-program');
		const key = parseSessionKey(newKey());
		const grant = newDealerGrant();
		const info: SessionInfo = { preprocessing: 'dealer', parties: 3, dealer: dealerPublicKey(grant.secret), program: readFileSync(SUM, 'utf8') };
		expect(await publishSessionInfo(new RelayClient({ url: relay.url }), session, key, info)).toBe(true);
		const pinned = sessionInfoDigest(info);
		const link = dealerLink(relay.url, session, key, grant.secret, pinned);
		const other = programFile('another.garble.rs', 'pub fn main(x: u32, y: u32, z: u32) -> u32 {\n    x - y - z\n}\n');
		const refused = await runCli(['pre', link, `--program=${other}`]);
		expect(refused.code, explainRun(refused)).toBe(64);
		expect(refused.stderr).toContain(`--program ${other} differs from the program in the info of session '${session}', which the dealer deals for: leave --program out`);
		const dealer = runCli(['pre', link, '--timeout=60s']);
		const inputs = ['40u32', '50u32', '60u32'];
		const parties = await Promise.all(inputs.map((input, party) => runCli(['party', sessionLink(relay.url, session, key, pinned), `--program=${SUM}`, `--party=${party}`, `--input=${input}`])));
		expectPartyResults(parties, reference(SUM, inputs));
		const dealt = await dealer;
		expect(dealt.code, explainRun(dealt)).toBe(0);
		expect(dealt.stderr).toMatch(/preprocessing dealt to 3 parties of session '[^']+', made for its program's circuit/);
	});

	it('refuses a personal link whose session info is not the one it was made with, or has no personal identities', async () => {
		const key = parseSessionKey(newKey());
		const { secrets, publicKeys } = newSlotIdentities(2);
		const made: SessionInfo = { preprocessing: 'ot', parties: 2, slotKeys: publicKeys };
		const client = new RelayClient({ url: relay.url });
		// Published again by a key holder (as after the relay forgot the session): another key in slot 1.
		const republished = fresh('republished');
		expect(await publishSessionInfo(client, republished, key, { ...made, slotKeys: [publicKeys[0], newSlotIdentities(1).publicKeys[0]] })).toBe(true);
		// A link made by hand, pinning nothing, to a session whose info names no identities.
		const plain = fresh('plain');
		expect(await publishSessionInfo(client, plain, key, { preprocessing: 'ot', parties: 2 })).toBe(true);
		const unpinned = personalLink(relay.url, plain, key, sessionInfoDigest(made), { party: 0, secret: secrets[0] }).replace(/&info=[^&]+/, '');
		const [changed, downgraded] = await Promise.all([
			runCli(['party', personalLink(relay.url, republished, key, sessionInfoDigest(made), { party: 0, secret: secrets[0] }), `--program=${SUM}`, '--input=1u32']),
			runCli(['party', unpinned, `--program=${SUM}`, '--input=1u32'])
		]);
		expectFailure(changed, /not the ones this link was made with/);
		expect(downgraded.code, explainRun(downgraded)).toBe(65);
		expect(downgraded.stderr).toContain('this is a personal link, but session');
	});

	it('refuses to force a dealer that a sealed session does not grant', async () => {
		const result = await runCli(['party', relay.url, `--session=${fresh('nogrant')}`, `--key=${newKey()}`, `--program=${SUM}`, '--party=0', '--input=1u32', '--preprocessing=dealer']);
		expect(result.code, explainRun(result)).toBe(65);
		expect(result.stderr).toContain("this session grants no dealer: with a session key, only a dealer that the session's creator granted can deal");
	});
});

describe('failures, on every side', () => {
	it('aborts every party when one party runs a different program; the dealer they do not use is released', async () => {
		const other = programFile('product.garble.rs', 'pub fn main(x: u32, y: u32, z: u32) -> u32 {\n    x + y * z\n}\n');
		const parties = sum(['1u32', '2u32', '3u32']);
		parties[1] = { program: other, input: '2u32' };
		const run = await runSession({ parties, dealer: true, args: ['--timeout=20s'] });
		expectFailure(run.parties[0], /party 1 runs a different program \(circuit hash [0-9a-f]{8}… vs ours [0-9a-f]{8}…\)/);
		expectFailure(run.parties[2], /party 1 runs a different program/);
		expectFailure(run.parties[1], /party [02] runs a different program/);
		// Without a key the parties do not use the dealer: their calls, sent with the confirms, release it.
		expect(run.dealer!.code, explainRun(run.dealer!)).toBe(0);
		expect(run.dealer!.stderr).toMatch(/chose OT preprocessing; the dealer is not needed/);
	});

	it('aborts when a party supplies a constant the others do not know', async () => {
		const file = `${EXAMPLES}/common_customers.garble.rs`;
		const renamed = programFile('renamed.garble.rs', readFileSync(file, 'utf8').replace('PARTY_1::ROWS', 'PARTY_1::SIZE'));
		const run = await runSession({
			parties: [
				{ program: file, input: '[([0, 0, 0, 0, 0, 0, 0, 1], 120)]', args: ['--const=ROWS=1'] },
				{ program: renamed, input: '[([0, 0, 0, 0, 0, 0, 0, 1], 30)]', args: ['--const=SIZE=1'] }
			],
			args: ['--timeout=20s']
		});
		const message = /party 1 supplied no PARTY_1::ROWS, which our program needs: does it run the same program\?/;
		expectFailure(run.parties[0], message);
		expectFailure(run.parties[1], /party 0 aborted: party 1 supplied no PARTY_1::ROWS/);
	});

	it('times out naming the party that never joined', async () => {
		const parties = sum(['1u32', '2u32', '3u32']);
		parties[0].args = ['--timeout=4s'];
		parties[1].args = ['--timeout=2s'];
		const run = await runSession({ parties, only: [0, 1], args: ['-q'] });
		expectFailure(run.parties[1], /^polytune party: timed out after 2 s: party 2 has not joined session 's-\d+'$/m);
		// Party 1 gave up (and left) first.
		expectFailure(run.parties[0], /^polytune party: timed out after 4 s: party 2 has not joined session 's-\d+'; party 1 joined and left$/m);
	});

	it('exits 130 on Ctrl-C and 143 on SIGTERM, the shell\'s codes for the signal, saying so', async () => {
		for (const [signal, exit, said] of [['SIGINT', 130, 'Ctrl-C'], ['SIGTERM', 143, 'SIGTERM']] as const) {
			const session = fresh('interrupted');
			const party = startCli(['party', relay.url, `--session=${session}`, `--program=${SUM}`, '--party=0', '--input=1u32']);
			await expect.poll(() => joinedParties(relay.url, session), { timeout: 30_000 }).toEqual([0]);
			party.child.kill(signal);
			const { code } = await party.exited;
			expect(code, party.output()).toBe(exit);
			expect(party.stderr()).toMatch(new RegExp(`^polytune party: interrupted \\(${said}\\)$`, 'm'));
		}
	});

	it('aborts when the relay alters a sealed message', async () => {
		const session = fresh('tamper');
		let tampered = false;
		const proxy = await tamperingProxy(relay.url, (path, body) => {
			if (tampered || !path.startsWith(`/exchange/${session}/0?`)) return;
			// The third message from party 1 to party 0 (its third frame): the first message of the protocol after the handshake.
			const frame = decodeAnswer(body).frames.find((f) => f.peer === 1 && f.seq === 3);
			if (frame) frame.payload[frame.payload.length - 1] ^= 1;
			tampered = frame !== undefined;
		});
		try {
			const run = await runSession({ url: `${proxy.url}/s/${session}#key=${newKey()}`, parties: sum(['1u32', '2u32', '3u32']), dealer: true, args: ['--timeout=20s', '-q'] });
			expect(tampered).toBe(true);
			expectFailure(run.parties[0], /message from party 1 failed authentication — the relay or the network altered it, or the parties use different keys/);
			for (const r of [run.parties[1], run.parties[2], run.dealer]) expectFailure(r, /party 0 aborted: .*message from party 1 failed authentication/);
		} finally {
			await proxy.close();
		}
	});

	it('says what is wrong before joining: bad input, bad program, a program file that is not there, unreachable relay', async () => {
		const closed = await new Promise<number>((resolve) => {
			const server = createServer().listen(0, '127.0.0.1', () => {
				const { port } = server.address() as AddressInfo;
				server.close(() => resolve(port));
			});
		});
		const bad = programFile('bad.garble.rs', 'pub fn main(x: u32, y: u32) -> u32 {\n    x + z\n}\n');
		const nowhere = join(dir, 'nowhere.garble.rs');
		const [input, program, missing, missingForDealer, unreachable] = await Promise.all([
			runCli(['party', relay.url, '--session=x', `--program=${SUM}`, '--party=0', '--input=true']),
			runCli(['party', relay.url, '--session=x', `--program=${bad}`, '--party=0', '--input=1u32']),
			runCli(['party', relay.url, '--session=x', `--program=${nowhere}`, '--party=0', '--input=1u32']),
			runCli(['pre', relay.url, '--session=x', `--program=${nowhere}`, '--parties=2']),
			runCli(['party', `http://127.0.0.1:${closed}`, '--session=x', `--program=${SUM}`, '--party=0', '--input=1u32', '-q'])
		]);
		expect(input.code, explainRun(input)).toBe(65);
		expect(input.stderr).toContain('--input is not a valid `u32`');
		expect(program.code, explainRun(program)).toBe(65);
		expect(program.stderr).toContain("Unknown identifier 'z'");
		expect(missing.code, explainRun(missing)).toBe(65);
		expect(missing.stderr.trim()).toBe(`polytune party: --program: Couldn't find "${nowhere}"`);
		expect(missingForDealer.code, explainRun(missingForDealer)).toBe(65);
		expect(missingForDealer.stderr.trim()).toBe(`polytune pre: --program: Couldn't find "${nowhere}"`);
		expect(unreachable.code, explainRun(unreachable)).toBe(1);
		expect(unreachable.stderr.trim()).toBe(`polytune party: cannot reach the relay at http://127.0.0.1:${closed} (connection refused)`);
	});
});

describe('polytune pre against a relay that says one thing and then another', () => {
	it('refuses clearly when the relay has no info, will not take the dealer\'s, and still has none', async () => {
		// GET /info: 404 (no info yet); PUT /info: 409 (someone else's is there); GET /info again: 404.
		const liar: Server = createServer((req, res) => {
			res.statusCode = req.method === 'PUT' && req.url?.startsWith('/info/') ? 409 : 404;
			res.end();
		});
		await new Promise<void>((resolve) => liar.listen(0, '127.0.0.1', resolve));
		try {
			const { port } = liar.address() as AddressInfo;
			const dealer = await runCli(['pre', `http://127.0.0.1:${port}`, '--session=liar', `--key=${newKey()}`, '--parties=3', '--timeout=10s']);
			expect(dealer.code, explainRun(dealer)).toBe(1);
			expect(dealer.stderr).toContain("polytune pre: the relay refused to publish session 'liar', but has no info for it either");
		} finally {
			await new Promise((resolve) => liar.close(resolve));
		}
	});
});

/** An HTTP proxy in front of the relay that lets `tamper` change a 200 answer's body in place. */
async function tamperingProxy(target: string, tamper: (path: string, body: Buffer) => void): Promise<{ url: string; close(): Promise<void> }> {
	const server: Server = createServer(async (req, res) => {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
		const token = req.headers['x-relay-token'];
		const upstream = await fetch(`${target}${req.url}`, {
			method: req.method,
			body: hasBody ? Buffer.concat(chunks) : undefined,
			headers: { ...(hasBody ? { 'content-type': 'application/octet-stream' } : {}), ...(typeof token === 'string' ? { 'x-relay-token': token } : {}) }
		});
		const body = Buffer.from(await upstream.arrayBuffer());
		if (upstream.status === 200 && body.length > 0) tamper(req.url ?? '', body);
		const headers: Record<string, string> = {};
		upstream.headers.forEach((value, name) => {
			if (!['content-length', 'transfer-encoding', 'content-encoding', 'connection', 'keep-alive'].includes(name)) headers[name] = value;
		});
		res.writeHead(upstream.status, headers).end(body);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			})
	};
}
