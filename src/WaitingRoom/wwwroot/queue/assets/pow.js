// Proof of work for the queue page: fetches the room's challenge and solves it in a Web Worker (pow-worker.js),
// reporting progress, so that each new place in line costs the browser about a second of work.
// window.QueuePow.solve(api, onProgress[, challengeUrl]) resolves to the X-Proof-Of-Work header value, or null when the room asks none.
// onProgress(fraction) gets the chance (0..1) that a solution would have been found by now: 1 - e^(-hashes / 2^difficulty).
(function () {
  'use strict';

  function solve(api, onProgress, challengeUrl) {
    return fetch(challengeUrl || api + '/challenge', { credentials: 'same-origin', cache: 'no-store' })
      .then(function (r) {
        if (!r.ok) { var error = new Error('challenge ' + r.status); error.status = r.status; throw error; }
        return r.json();
      })
      .then(function (c) {
        if (!c.difficulty) { return null; }
        var expected = Math.pow(2, c.difficulty);
        return new Promise(function (resolve, reject) {
          var worker = new Worker('/queue/assets/pow-worker.js');
          worker.onmessage = function (e) {
            var m = e.data;
            if (m.type === 'progress') {
              onProgress(1 - Math.exp(-m.hashes / expected));
              return;
            }
            worker.terminate();
            onProgress(1);
            window.QueuePow.last = { difficulty: c.difficulty, hashes: m.hashes, ms: m.ms };
            resolve(c.challenge + ':' + m.nonce);
          };
          worker.onerror = function (e) { worker.terminate(); reject(new Error(e.message || 'worker failed')); };
          worker.postMessage({ challenge: c.challenge, difficulty: c.difficulty });
        });
      });
  }

  window.QueuePow = { solve: solve, last: null };
})();
