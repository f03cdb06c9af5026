import { describe, expect, it } from 'vitest';
import { runTitle } from '../../../src/ui/format';
import type { RunStatus } from '../../../src/workers/api';

const status = (stage: RunStatus['stage'], fraction?: number): RunStatus => ({
	stage,
	bytesSent: 0,
	bytesReceived: 0,
	...(fraction === undefined ? {} : { estimate: { fraction } })
});

describe('the title of a tab in a run', () => {
	it('says nothing before the run, then its stage until the progress is estimated', () => {
		expect(runTitle(undefined, undefined)).toBeUndefined();
		expect(runTitle(status('joining'), undefined)).toBe('Joining');
		expect(runTitle(status('waiting'), undefined)).toBe('Waiting');
		expect(runTitle(status('handshake'), undefined)).toBe('Agreeing');
		expect(runTitle(status('preprocessing'), undefined)).toBe('Preparing');
	});

	it('shows the overall progress rounded down, so that 100 % never comes before the result', () => {
		expect(runTitle(status('preprocessing', 0.004), undefined)).toBe('0 %');
		expect(runTitle(status('computing', 0.427), undefined)).toBe('42 %');
		expect(runTitle(status('computing', 0.999), undefined)).toBe('99 %');
	});

	it('ends with the outcome, whatever the last status was', () => {
		expect(runTitle(status('computing', 0.5), 'stopped')).toBe('Stopped');
		expect(runTitle(status('done', 1), 'result')).toBe('Result');
		expect(runTitle(undefined, 'stopped')).toBe('Stopped');
		expect(runTitle(status('done', 1), undefined)).toBe('Done');
	});
});
