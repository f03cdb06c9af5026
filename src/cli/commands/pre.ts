import { DEALER_PARTY } from '../../lib/channel/channel';
import { RelayClient } from '../../lib/channel/relay-client';
import { formatErrors, GarbleCompileError } from '../../lib/garble';
import {
	checkDealerProgram,
	dealerFingerprint,
	dealerLink,
	dealerPublicKey,
	newDealerGrant,
	parseDealerSecret,
	publishSessionInfo,
	runDealerSession,
	sessionInfoDigest,
	sessionLink,
	UNAUTHENTICATED_DEALER,
	type DealerProgram,
	type SessionInfo
} from '../../lib/party';
import { EXIT_DATA, EXIT_OK, UsageError, type Command } from '../command';
import {
	describeFailure,
	installNodeBackend,
	interruptible,
	parseTimeout,
	partyCountOf,
	SESSION_HELP,
	SESSION_OPTIONS,
	sessionTarget,
	targetInfo,
	type SessionTarget
} from '../session-args';
import { statusPrinter } from '../status-printer';
import { parse, readSource } from './garble-args';

export const pre: Command = {
	help: [
		'Usage: polytune pre URL --session=S --parties=N [options]',
		'       polytune pre LINK [--parties=N] [options]',
		'',
		'Joins session S on the relay at URL as the trusted dealer (party 255) and hands the N',
		'computing parties the correlated randomness they need: much faster than preprocessing',
		'with OT, but the dealer could learn every input if it colluded with a party, and the',
		'parties trust it to hand out correct material. Start it before the parties; parties that',
		'chose OT preprocessing release it, and it exits 0 saying so. A failed run exits 1 with',
		'one line saying why.',
		'',
		"With a session key only the dealer that the session's creator granted can deal: give the",
		'dealer link from the web app (…/s/S/dealer#key=…&dealer=…) or --dealer-secret. For a',
		'session that has no program and settings on the relay yet, this command creates them,',
		'granting itself, and prints the link for the parties (whose `polytune party` then uses',
		'this dealer by default). Without a key the dealer is not authenticated, and the parties',
		'use it only when each passes --preprocessing=dealer.',
		'',
		'A dealer that knows the program deals material made for its circuit: half the bytes, and',
		"less work for the parties. It knows the session's program from the session's info, else",
		'from --program (every party must run the same one); for a program that takes constants',
		'from the parties it deals the general material.',
		'',
		'Options:',
		'  --parties N           the number of computing parties (known already in a session with settings)',
		"  --program FILE        the parties' Garble program, for a session whose info has none",
		'  --dealer-secret S     the secret of the dealer grant, as in a dealer link after &dealer=',
		'                        (env POLYTUNE_DEALER_SECRET)',
		...SESSION_HELP
	].join('\n'),
	async run(args) {
		const { values, positionals } = parse(args, { ...SESSION_OPTIONS, parties: { type: 'string' }, 'dealer-secret': { type: 'string' }, program: { type: 'string' } });
		const target = sessionTarget(positionals, values, process.env);
		if (target.personal) throw new UsageError(`this is party ${target.personal.party}'s personal link: the dealer joins with the dealer link`);
		const secretText = values['dealer-secret'] ?? (process.env.POLYTUNE_DEALER_SECRET || undefined);
		const given = {
			parties: values.parties === undefined ? undefined : partyCountOf(values.parties, '--parties'),
			secret: target.dealerSecret ?? (secretText === undefined ? undefined : usageOf(() => parseDealerSecret(secretText)))
		};
		const timeoutMs = parseTimeout(values.timeout);
		const quiet = values.quiet ?? false;
		const read = values.program === undefined ? undefined : readSource(values.program, { command: 'pre', option: '--program' });
		if (read && 'exit' in read) return read.exit;
		// A program that cannot serve --parties is refused before anything reaches the relay: a session created for it would keep its name.
		if (read && given.parties !== undefined) {
			try {
				checkDealerProgram(read.source, given.parties);
			} catch (error) {
				return reportFailure(error, read.source, read.file);
			}
		}
		let role: DealerRole;
		try {
			role = target.key ? await grantedRole({ ...target, key: target.key }, given) : { ...given, parties: required(given.parties) };
		} catch (error) {
			if (error instanceof UsageError) throw error;
			const { message, exit } = describeFailure(error);
			console.error(`polytune pre: ${message}`);
			return exit;
		}
		if (!target.key && !quiet) {
			console.error('polytune pre: no session key (--key): messages cross the relay in plaintext, readable by the relay');
			console.error(`polytune pre: ${UNAUTHENTICATED_DEALER}`);
		}
		if (read && role.program && read.source !== role.program.source) {
			throw new UsageError(`--program ${read.file} differs from the program in the info of session '${target.session}', which the dealer deals for: leave --program out`);
		}
		const program: DealerProgram | undefined = role.program ?? (read && { source: read.source });
		installNodeBackend();
		const printer = statusPrinter({ who: `dealer (party ${DEALER_PARTY})`, session: target.session, quiet });
		try {
			const { used, forCircuit } = await interruptible((signal) =>
				runDealerSession({
					...target,
					parties: role.parties,
					dealerSecret: role.secret,
					...(role.slotKeys ? { slotKeys: role.slotKeys } : {}),
					...(program ? { program } : {}),
					timeoutMs,
					onStatus: (status) => printer.update(status),
					signal
				})
			);
			printer.finish();
			if (!quiet) {
				console.error(
					used
						? `polytune pre: preprocessing dealt to ${role.parties} parties of session '${target.session}', ${forCircuit ? "made for its program's circuit" : program ? 'general (the program takes constants from the parties)' : 'general (with --program, made for the circuit: half the bytes)'}`
						: `polytune pre: the parties of session '${target.session}' chose OT preprocessing; the dealer is not needed`
				);
			}
			return EXIT_OK;
		} catch (error) {
			printer.finish();
			return reportFailure(error, program?.source, read?.file ?? `the program of session '${target.session}'`);
		}
	}
};

/** Prints why the dealer stopped (a program's errors at their place in its source) and returns the exit code. */
function reportFailure(error: unknown, source: string | undefined, file: string): number {
	if (error instanceof GarbleCompileError && source !== undefined) {
		console.error(formatErrors(error.errors, source, file));
		return EXIT_DATA;
	}
	const { message, exit } = describeFailure(error);
	console.error(`polytune pre: ${message}`);
	return exit;
}

/** The session does not let this dealer deal: the message says why and what to do. */
class DealerRefused extends Error {}

/**
 * What the dealer deals for: the parties, the grant's secret, with personal links every party's
 * identity (it takes each call only from its party), and the program where the session's info has one.
 */
interface DealerRole {
	parties: number;
	secret?: Uint8Array;
	slotKeys?: readonly string[];
	program?: DealerProgram;
}

/**
 * With a session key: the dealer grant of the session info must be this dealer's. A session
 * without info gets one that grants this dealer (a fresh grant, unless a secret is given).
 */
async function grantedRole(target: SessionTarget & { key: Uint8Array }, given: { parties?: number; secret?: Uint8Array }): Promise<DealerRole & { secret: Uint8Array }> {
	const existing = await targetInfo(target);
	if (existing) return checkGrant(target.session, existing, given);
	const secret = given.secret ?? newDealerGrant().secret;
	const info: SessionInfo = { preprocessing: 'dealer', parties: required(given.parties), dealer: dealerPublicKey(secret) };
	if (!(await publishSessionInfo(new RelayClient({ url: target.url, fetch: target.fetch }), target.session, target.key, info))) {
		// Someone else created the session's info a moment ago: it decides.
		const theirs = await targetInfo(target);
		if (!theirs) throw new DealerRefused(`the relay refused to publish session '${target.session}', but has no info for it either: try again, or another relay`);
		return checkGrant(target.session, theirs, given);
	}
	console.error(`polytune pre: created session '${target.session}', granting this dealer (key fingerprint ${dealerFingerprint(info.dealer!)})`);
	const pinned = sessionInfoDigest(info);
	console.error(`polytune pre: the parties join with: ${sessionLink(target.url, target.session, target.key, pinned)}`);
	if (!given.secret) console.error(`polytune pre: to run this dealer again: polytune pre '${dealerLink(target.url, target.session, target.key, secret, pinned)}'`);
	return { parties: info.parties, secret };
}

function checkGrant(session: string, info: SessionInfo, given: { parties?: number; secret?: Uint8Array }): DealerRole & { secret: Uint8Array } {
	if (!info.dealer) throw new DealerRefused(`session '${session}' trusts no dealer: its parties prepare the computation by OT`);
	const granted = `key fingerprint ${dealerFingerprint(info.dealer)}`;
	if (!given.secret) {
		throw new DealerRefused(`session '${session}' grants its own dealer (${granted}): give the dealer link or --dealer-secret; a party link cannot deal`);
	}
	const mine = dealerPublicKey(given.secret);
	if (mine !== info.dealer) throw new DealerRefused(`session '${session}' grants another dealer (${granted}); this secret's key has fingerprint ${dealerFingerprint(mine)}`);
	if (given.parties !== undefined && given.parties !== info.parties) throw new DealerRefused(`--parties ${given.parties} differs from the ${info.parties} parties of session '${session}'`);
	return {
		parties: info.parties,
		secret: given.secret,
		...(info.slotKeys ? { slotKeys: info.slotKeys } : {}),
		...(info.program !== undefined ? { program: { source: info.program, ...(info.consts ? { sharedConsts: info.consts } : {}) } } : {})
	};
}

function required(parties: number | undefined): number {
	if (parties === undefined) throw new UsageError('missing --parties N');
	return parties;
}

/** A bad dealer secret is a usage error, like a bad key. */
function usageOf<T>(parse: () => T): T {
	try {
		return parse();
	} catch (error) {
		throw new UsageError(error instanceof Error ? error.message : String(error));
	}
}
