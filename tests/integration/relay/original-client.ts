// A client that behaves exactly like the original Rust example's PollingHttpChannel
// (reqwest, seed document): plain requests without extra headers or parameters, bodies
// without Content-Type, a 400 on receive means "try again in 200 ms", ten tries at most.
import { request } from 'node:http';

interface Answer {
	status: number;
	body: Buffer;
}

/** One HTTP request as reqwest sends it: no Content-Type, Content-Length only with a body. */
function send(method: string, url: string, body?: Uint8Array): Promise<Answer> {
	return new Promise((resolve, reject) => {
		const headers: Record<string, string> = { accept: '*/*' };
		if (body) headers['content-length'] = String(body.length);
		const req = request(url, { method, headers }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (chunk: Buffer) => chunks.push(chunk));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
			res.on('error', reject);
		});
		req.on('error', reject);
		req.end(body);
	});
}

export class OriginalPollingClient {
	constructor(
		private readonly url: string,
		private readonly session: string,
		private readonly party: number
	) {}

	async join(): Promise<void> {
		await send('PUT', `${this.url}/join/${this.session}/${this.party}`);
	}

	/** The number of joined parties, as the original `participants()` returns. */
	async participants(): Promise<number> {
		const answer = await send('GET', `${this.url}/participants/${this.session}`);
		return (JSON.parse(answer.body.toString('utf8')) as number[]).length;
	}

	async sendBytesTo(p: number, msg: Uint8Array): Promise<void> {
		const answer = await send('POST', `${this.url}/send/${this.session}/${this.party}/${p}`, msg);
		if (answer.status < 200 || answer.status > 299) throw new Error(`UnexpectedStatusCode(${answer.status})`);
	}

	async recvBytesFrom(p: number): Promise<Uint8Array> {
		const url = `${this.url}/recv/${this.session}/${p}/${this.party}`;
		let attempts = 0;
		for (;;) {
			const answer = await send('POST', url);
			if (answer.status === 400) {
				attempts += 1;
				if (attempts >= 10) throw new Error('Timeout');
				await new Promise((resolve) => setTimeout(resolve, 200));
				continue;
			}
			if (answer.status < 200 || answer.status > 299) throw new Error(`UnexpectedStatusCode(${answer.status})`);
			return new Uint8Array(answer.body);
		}
	}
}
