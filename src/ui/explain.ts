// Failures in words, each with what the person can do about it.
import type { Failure } from '../workers/api';

export interface Explanation {
	title: string;
	/** What to do next. */
	advice: string;
}

const START_OVER = 'Start a new session (the button below keeps the program) and send its link to everyone again.';

export function explain(failure: Failure, action: string): Explanation {
	switch (failure.kind) {
		case 'relay-unreachable':
			return {
				title: 'The relay cannot be reached',
				advice: `Could not ${action}: check your network connection and that the relay is running (npx polytune serve), then try again.`
			};
		case 'relay-refused':
			return { title: `The relay refused to ${action}`, advice: 'It may be full or restarting. Wait a moment and try again.' };
		case 'slot-taken':
			return {
				title: 'Another participant has this slot',
				advice: 'Someone else joined this session in this slot. Pick a free slot; if it was you in a tab that closed, wait a minute and join again.'
			};
		case 'session-missing':
			return {
				title: 'This session does not exist',
				advice: 'The link may be cut short, or the session expired after an hour without activity. Ask for a fresh link, or create a new session.'
			};
		case 'no-key':
			return { title: 'The link has no key', advice: 'Copy the whole link, including everything after #key=, and open it, in this tab or another.' };
		case 'wrong-key':
			return { title: "The link's key does not fit this session", advice: 'Copy the whole link, including everything after #key=, and open it again.' };
		case 'info-changed':
			return {
				title: "This session's program or settings changed",
				advice: 'They are not the ones the link was made with: someone who holds the key published them again after the relay forgot the session. Ask for a new session and link.'
			};
		case 'malformed-info':
			return { title: 'This session was made by another version', advice: 'Create a new session on this site and share its link.' };
		case 'bad-program':
			return { title: 'The program does not compile', advice: 'Fix the errors shown in the program, then try again.' };
		case 'bad-input':
			return { title: 'The input is not valid', advice: 'Type a value of the expected type and join again.' };
		case 'timeout':
			return { title: 'A party did not answer in time', advice: `Make sure every party has opened the link and joined. ${START_OVER}` };
		case 'mismatch':
			return { title: 'The parties do not agree on the computation', advice: `Everyone must open the same link. ${START_OVER}` };
		case 'untrusted-dealer':
			return {
				title: 'The dealer is not the one this session trusts',
				advice: `Someone joined as the dealer without the session's dealer link (a party link cannot deal), or the relay replaced the dealer; nothing was computed. Send the dealer link to the dealer alone. ${START_OVER}`
			};
		case 'peer-aborted':
			return { title: 'Another party stopped the computation', advice: START_OVER };
		case 'peer-left':
			return {
				title: 'A party left during the computation',
				advice: `Their tab or terminal was closed, crashed or lost its connection, so the computation cannot finish. ${START_OVER}`
			};
		case 'restart-refused':
			return {
				title: 'The run could not start again',
				advice: `A party came back after it had left the run, but the run may not start again once the output is being revealed, nor more than a few times. ${START_OVER}`
			};
		case 'protocol':
			return {
				title: 'A security check failed, so the computation stopped',
				advice: `A message was altered on the way or a party did not follow the protocol; no result was produced. ${START_OVER}`
			};
		case 'cancelled':
			return { title: 'Stopped', advice: 'The computation was stopped on this page.' };
		case 'internal':
			return { title: 'Something went wrong', advice: 'Reload the page and try again. If it happens again, please report the message above.' };
	}
}
