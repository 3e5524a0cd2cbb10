// Proof-of-work solver (a Web Worker, so the page stays responsive): finds a decimal nonce such that
// SHA-256(challenge ":" nonce) starts with `difficulty` zero bits. SHA-256 is written out here because
// crypto.subtle.digest is asynchronous per hash and several times slower for millions of tiny inputs.
// The bytes before the nonce never change, so their whole 64-byte blocks are hashed once (the midstate).
// Messages in: { challenge, difficulty }. Out: { type: 'progress', hashes } about 10 times a second,
// then { type: 'solved', nonce, hashes, ms }.
'use strict';

var K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
]);
var W = new Int32Array(64);

// One compression of the 64-byte block at bytes[offset..] into state (8 words).
function compress(state, bytes, offset) {
  var i, t1, t2;
  for (i = 0; i < 16; i++) {
    var j = offset + i * 4;
    W[i] = (bytes[j] << 24) | (bytes[j + 1] << 16) | (bytes[j + 2] << 8) | bytes[j + 3];
  }
  for (i = 16; i < 64; i++) {
    var x = W[i - 15], y = W[i - 2];
    var s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    var s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    W[i] = (W[i - 16] + s0 + W[i - 7] + s1) | 0;
  }
  var a = state[0], b = state[1], c = state[2], d = state[3], e = state[4], f = state[5], g = state[6], h = state[7];
  for (i = 0; i < 64; i++) {
    t1 = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + ((e & f) ^ (~e & g)) + K[i] + W[i]) | 0;
    t2 = ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
  }
  state[0] = (state[0] + a) | 0; state[1] = (state[1] + b) | 0; state[2] = (state[2] + c) | 0; state[3] = (state[3] + d) | 0;
  state[4] = (state[4] + e) | 0; state[5] = (state[5] + f) | 0; state[6] = (state[6] + g) | 0; state[7] = (state[7] + h) | 0;
}

function leadingZeroBits(state) {
  var bits = 0;
  for (var i = 0; i < 8; i++) {
    if (state[i] === 0) { bits += 32; continue; }
    return bits + Math.clz32(state[i]);
  }
  return bits;
}

function solve(challenge, difficulty, onProgress) {
  var prefix = challenge + ':';
  var prefixBytes = new Uint8Array(prefix.length);
  for (var i = 0; i < prefix.length; i++) { prefixBytes[i] = prefix.charCodeAt(i) & 0xff; }
  var mid = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  var full = Math.floor(prefixBytes.length / 64);
  for (var blk = 0; blk < full; blk++) { compress(mid, prefixBytes, blk * 64); }
  var rest = prefixBytes.length - full * 64;
  var tail = new Uint8Array(192);
  tail.set(prefixBytes.subarray(full * 64), 0);
  var state = new Int32Array(8);
  var digits = new Uint8Array(24);
  var started = Date.now();
  var lastReport = started;
  for (var n = 0; ; n++) {
    // The nonce's decimal digits, written after the fixed bytes, then the padding and the length in bits.
    var len = 0, v = n;
    do { digits[len++] = 48 + (v % 10); v = Math.floor(v / 10); } while (v > 0);
    var p = rest;
    for (var k = len - 1; k >= 0; k--) { tail[p++] = digits[k]; }
    var total = prefixBytes.length + len;
    var blocks = (p + 9 <= 64) ? 1 : (p + 9 <= 128 ? 2 : 3);
    var end = blocks * 64;
    tail[p++] = 0x80;
    while (p < end - 8) { tail[p++] = 0; }
    var bitsLen = total * 8;
    tail[end - 8] = 0; tail[end - 7] = 0; tail[end - 6] = 0;
    tail[end - 5] = Math.floor(bitsLen / 4294967296) & 0xff;
    tail[end - 4] = (bitsLen >>> 24) & 0xff; tail[end - 3] = (bitsLen >>> 16) & 0xff;
    tail[end - 2] = (bitsLen >>> 8) & 0xff; tail[end - 1] = bitsLen & 0xff;
    state.set(mid);
    for (var b = 0; b < blocks; b++) { compress(state, tail, b * 64); }
    if (leadingZeroBits(state) >= difficulty) {
      return { nonce: String(n), hashes: n + 1, ms: Date.now() - started };
    }
    if ((n & 0x3fff) === 0x3fff) {
      var now = Date.now();
      if (now - lastReport >= 100) { lastReport = now; onProgress(n + 1); }
    }
  }
}

self.onmessage = function (e) {
  var result = solve(String(e.data.challenge), Number(e.data.difficulty) | 0, function (hashes) {
    self.postMessage({ type: 'progress', hashes: hashes });
  });
  self.postMessage({ type: 'solved', nonce: result.nonce, hashes: result.hashes, ms: result.ms });
};
