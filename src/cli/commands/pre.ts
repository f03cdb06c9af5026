import { DEALER_PARTY } from '../../lib/channel/channel';
import { runDealerSession } from '../../lib/party';
import { EXIT_OK, UsageError, type Command } from '../command';
import { describeFailure, installNodeBackend, interruptible, parseTimeout, partyNumber, SESSION_HELP, SESSION_OPTIONS, sessionTarget } from '../session-args';
import { statusPrinter } from '../status-printer';
import { parse } from './garble-args';

export const pre: Command = {
	summary: 'run the trusted dealer (party 255) that preprocesses for the parties of a session',
	help: [
		'Usage: polytune pre URL --session=S --parties=N [options]',
		'       polytune pre LINK --parties=N [options]',
		'',
		'Joins session S on the relay at URL as the trusted dealer (party 255) and hands the N',
		'computing parties the correlated randomness they need: much faster than preprocessing',
		'with OT, but the dealer must not collude with any party. Start it before the parties;',
		'parties that chose OT preprocessing (or started without a dealer) release it, and it',
		'exits 0 saying so. A failed run exits 1 with one line saying why.',
		'',
		'Options:',
		'  --parties N           the number of computing parties',
		...SESSION_HELP
	].join('\n'),
	async run(args) {
		const { values, positionals } = parse(args, { ...SESSION_OPTIONS, parties: { type: 'string' } });
		const target = sessionTarget(positionals, values, process.env);
		if (values.parties === undefined) throw new UsageError('missing --parties N');
		const parties = partyNumber(values.parties, '--parties');
		const timeoutMs = parseTimeout(values.timeout);
		const quiet = values.quiet ?? false;
		if (!target.key && !quiet) console.error('polytune pre: no session key (--key): messages cross the relay in plaintext, readable by the relay');
		installNodeBackend();
		const printer = statusPrinter({ who: `dealer (party ${DEALER_PARTY})`, session: target.session, quiet });
		try {
			const { used } = await interruptible((signal) => runDealerSession({ ...target, parties, timeoutMs, onStatus: (status) => printer.update(status), signal }));
			printer.finish();
			if (!quiet) {
				console.error(
					used
						? `polytune pre: preprocessing dealt to ${parties} parties of session '${target.session}'`
						: `polytune pre: the parties of session '${target.session}' chose OT preprocessing; the dealer is not needed`
				);
			}
			return EXIT_OK;
		} catch (error) {
			printer.finish();
			const { message, exit } = describeFailure(error);
			console.error(`polytune pre: ${message}`);
			return exit;
		}
	}
};
