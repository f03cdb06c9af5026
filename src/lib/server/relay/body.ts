import type { IncomingMessage } from 'node:http';
import { concatBytes } from '../../crypto/block';
import { RelayError, tooLarge } from './errors';

/**
 * Reads a request body of at most `limit` bytes; a longer one is refused with 413 that names
 * the relay's own limit.
 *
 * SvelteKit gives a route no body when the request has no Content-Type (as with the
 * original Rust client and with `fetch` of a Uint8Array), and adapter-node caps bodies at
 * `BODY_SIZE_LIMIT`. So when the Node request is at hand (`platform.req` under adapter-node)
 * and nothing has started reading it, the body is read from it directly; otherwise from the
 * Web request.
 */
export async function readBody(request: Request, nodeRequest: IncomingMessage | undefined, limit: number, what: 'message' | 'info'): Promise<Uint8Array> {
	// One fresh array, so that a stored message never pins a larger pooled buffer.
	return concatBytes(...(await readBodyChunks(request, nodeRequest, limit, what)));
}

/**
 * readBody's bytes as the chunks they came in, for a reader that keeps views of them or copies
 * out what it keeps (the mailbox's frames): joining them first would copy every byte.
 */
export async function readBodyChunks(request: Request, nodeRequest: IncomingMessage | undefined, limit: number, what: 'message' | 'info'): Promise<Uint8Array[]> {
	const declared = Number(request.headers.get('content-length') ?? NaN);
	if (declared > limit) throw tooLarge(what, limit, declared);
	if (nodeRequest && nodeRequest.listenerCount('data') === 0 && !nodeRequest.readableEnded) {
		return readNodeStream(nodeRequest, limit, what);
	}
	if (request.body) return readWebStream(request.body, limit, what);
	if (declared > 0 || request.headers.has('transfer-encoding')) {
		// Only under `vite dev`, where SvelteKit drops untyped bodies and the Node request is hidden.
		throw new RelayError('bad-request', 'this server cannot read a body without a Content-Type header: send Content-Type: application/octet-stream');
	}
	return [];
}

function readNodeStream(stream: IncomingMessage, limit: number, what: 'message' | 'info'): Promise<Uint8Array[]> {
	// A client that went away before the route got here: its stream has closed already, and no event would come.
	if (stream.destroyed) return Promise.reject(cutOff());
	return new Promise((resolve, reject) => {
		const chunks: Uint8Array[] = [];
		let size = 0;
		const finish = (error?: RelayError) => {
			stream.off('data', onData).off('end', onEnd).off('error', onBroken).off('close', onBroken);
			if (error) {
				stream.resume(); // discard the rest, so the connection can carry the answer
				reject(error);
			} else resolve(chunks);
		};
		const onData = (chunk: Uint8Array) => {
			size += chunk.length;
			if (size > limit) finish(tooLarge(what, limit));
			else chunks.push(chunk);
		};
		const onEnd = () => finish();
		// A client that goes away mid-body closes the stream before its end: nothing is queued.
		const onBroken = () => finish(cutOff());
		stream.on('data', onData).on('end', onEnd).on('error', onBroken).on('close', onBroken);
	});
}

async function readWebStream(body: ReadableStream<Uint8Array>, limit: number, what: 'message' | 'info'): Promise<Uint8Array[]> {
	const chunks: Uint8Array[] = [];
	let size = 0;
	const reader = body.getReader();
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) break;
			size += value.length;
			// Past the limit, keep reading to the end without keeping anything, so the client gets our answer.
			if (size <= limit) chunks.push(value);
		}
	} catch (error) {
		// adapter-node's own cap (BODY_SIZE_LIMIT) ends the stream with a 413 error.
		if ((error as { status?: number }).status === 413) {
			throw new RelayError('too-large', `${what} too large for this server's BODY_SIZE_LIMIT; raise BODY_SIZE_LIMIT to at least ${limit} or start the relay with \`polytune serve\``);
		}
		throw cutOff();
	}
	if (size > limit) throw tooLarge(what, limit, size);
	return chunks;
}

function cutOff(): RelayError {
	return new RelayError('bad-request', 'request body was cut off before its end');
}
