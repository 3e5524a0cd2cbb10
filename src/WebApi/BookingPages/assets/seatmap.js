// The seat map on a canvas, from the API's columnar layout (GET /api/performances/{id}/seats/layout) and statuses
// (GET .../seats/statuses, one byte per seat).
// Seats live in typed arrays; drawing batches one path per colour; clicks are hit-tested through a grid of cells,
// so 40,000 seats need no DOM element each. Pan and zoom: mouse wheel and drag, touch drag and pinch, +/- buttons.
'use strict';

window.SeatMap = class SeatMap {
  constructor(canvas, options) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d');
    this.options = options; // { onToggle(index), label(gradeIndex) -> string, isSelected(index) }
    this.scale = 1; this.tx = 0; this.ty = 0;
    this.pointers = new Map();
    this.dragged = false;
    this.frame = 0;
    this.bind();
    new ResizeObserver(() => this.resize()).observe(canvas.parentElement);
  }

  // map: the columnar layout (GET .../seats/layout: id, section, grade, x, y, row, number[, label] arrays, grades,
  // sections) with the statuses (one byte per seat in layout order) as a Uint8Array in map.status.
  load(map) {
    const n = map.count;
    this.map = map;
    this.n = n;
    // Typed arrays straight from the columns: no object per seat.
    this.ids = Float64Array.from(map.id);
    this.xs = Float32Array.from(map.x);
    this.ys = Float32Array.from(map.y);
    this.grade = Uint8Array.from(map.grade);
    this.section = Uint16Array.from(map.section);
    this.status = map.status;
    const ids = this.ids;
    let ascending = true;
    for (let i = 1; i < n && ascending; i++) ascending = ids[i] > ids[i - 1];
    if (ascending) {
      // Our server sends ids in ascending order: a binary search, no 40,000-entry Map to build.
      this.indexOf = { get: id => {
        let lo = 0, hi = n - 1;
        while (lo <= hi) { const mid = (lo + hi) >> 1, v = ids[mid]; if (v === id) return mid; if (v < id) lo = mid + 1; else hi = mid - 1; }
        return undefined;
      } };
    } else {
      this.indexOf = new Map();
      for (let i = 0; i < n; i++) this.indexOf.set(ids[i], i);
    }
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    const xs = this.xs, ys = this.ys;
    for (let i = 0; i < n; i++) {
      const x = xs[i], y = ys[i];
      if (x < minX) minX = x; if (x > maxX) maxX = x; if (y < minY) minY = y; if (y > maxY) maxY = y;
    }
    this.bounds = { minX, minY, maxX, maxY };
    this.pitch = this.estimatePitch();
    this.buildGrid();
    this.buildGroups();
    this.fit();
  }

  labelOf(i) {
    const m = this.map;
    if (m.label) return m.label[i];
    const row = m.row[i], section = m.sections[m.section[i]];
    return row ? `${section} ${row}-${m.number[i]}` : `${section} ${m.number[i]}`;
  }
  rowOf(i) { return this.map.row[i]; }
  numberOf(i) { return this.map.number[i]; }

  // The usual distance between neighbouring seats: the seat size.
  estimatePitch() {
    const n = Math.min(this.n, 2000);
    let best = Infinity;
    for (let i = 1; i < n; i++) {
      const d = Math.abs(this.xs[i] - this.xs[i - 1]);
      if (d > 0 && d < best && this.ys[i] === this.ys[i - 1]) best = d;
    }
    return Number.isFinite(best) ? best : 1;
  }

  buildGrid() {
    const b = this.bounds, cell = this.pitch * 2;
    this.cell = cell;
    this.cols = Math.max(1, Math.ceil((b.maxX - b.minX) / cell) + 1);
    this.rows = Math.max(1, Math.ceil((b.maxY - b.minY) / cell) + 1);
    const counts = new Uint32Array(this.cols * this.rows + 1);
    const cellOf = new Uint32Array(this.n);
    for (let i = 0; i < this.n; i++) {
      const c = Math.floor((this.xs[i] - b.minX) / cell) + Math.floor((this.ys[i] - b.minY) / cell) * this.cols;
      cellOf[i] = c; counts[c + 1]++;
    }
    for (let c = 1; c < counts.length; c++) counts[c] += counts[c - 1];
    const fill = counts.slice(0, -1);
    this.cellStart = counts;
    this.cellSeats = new Uint32Array(this.n);
    for (let i = 0; i < this.n; i++) this.cellSeats[fill[cellOf[i]]++] = i;
  }

  // One label per section and grade: where the block is, its grade and price (fans asked to see the price on the map).
  buildGroups() {
    const groups = new Map();
    for (let i = 0; i < this.n; i++) {
      const key = this.section[i] * 256 + this.grade[i];
      let g = groups.get(key);
      if (!g) { g = { section: this.section[i], grade: this.grade[i], minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity }; groups.set(key, g); }
      const x = this.xs[i], y = this.ys[i];
      if (x < g.minX) g.minX = x; if (x > g.maxX) g.maxX = x; if (y < g.minY) g.minY = y; if (y > g.maxY) g.maxY = y;
    }
    this.groups = [...groups.values()];
  }

  hit(clientX, clientY) {
    const r = this.canvas.getBoundingClientRect();
    const wx = (clientX - r.left - this.tx) / this.scale, wy = (clientY - r.top - this.ty) / this.scale;
    const b = this.bounds, cell = this.cell;
    const cx = Math.floor((wx - b.minX) / cell), cy = Math.floor((wy - b.minY) / cell);
    let best = -1, bestD = (this.pitch * 0.6) ** 2;
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        const x = cx + dx, y = cy + dy;
        if (x < 0 || y < 0 || x >= this.cols || y >= this.rows) continue;
        const c = x + y * this.cols;
        for (let k = this.cellStart[c]; k < this.cellStart[c + 1]; k++) {
          const i = this.cellSeats[k];
          const d = (this.xs[i] - wx) ** 2 + (this.ys[i] - wy) ** 2;
          if (d < bestD) { bestD = d; best = i; }
        }
      }
    }
    return best;
  }

  resize() {
    const parent = this.canvas.parentElement;
    const dpr = window.devicePixelRatio || 1;
    const w = parent.clientWidth, h = parent.clientHeight;
    if (!w || !h) return;
    const first = !this.width;
    this.width = w; this.height = h;
    this.canvas.width = Math.round(w * dpr); this.canvas.height = Math.round(h * dpr);
    this.canvas.style.width = w + 'px'; this.canvas.style.height = h + 'px';
    this.dpr = dpr;
    if (first || !this.userMoved) this.fit(); else this.draw();
  }

  fit() {
    if (!this.map || !this.width) return;
    const b = this.bounds, pad = this.pitch * 3;
    const w = b.maxX - b.minX + pad * 2, h = b.maxY - b.minY + pad * 2;
    const top = 20; // room for the first block's label
    this.scale = Math.min(this.width / w, (this.height - top) / h);
    this.minScale = this.scale * 0.5;
    this.maxScale = Math.max(this.scale * 4, 48 / this.pitch);
    this.tx = (this.width - (b.maxX - b.minX) * this.scale) / 2 - b.minX * this.scale;
    this.ty = top + (this.height - top - (b.maxY - b.minY) * this.scale) / 2 - b.minY * this.scale;
    this.userMoved = false;
    this.draw();
  }

  zoomAt(factor, sx, sy) {
    const s = Math.min(this.maxScale, Math.max(this.minScale, this.scale * factor));
    const f = s / this.scale;
    this.tx = sx - (sx - this.tx) * f; this.ty = sy - (sy - this.ty) * f;
    this.scale = s;
    this.userMoved = true;
    this.request();
  }

  request() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => { this.frame = 0; this.draw(); });
  }

  colorOf(g) {
    const grade = this.map.grades[g];
    return grade.color || SeatMap.palette[g % SeatMap.palette.length];
  }

  draw() {
    if (!this.map || !this.width) return;
    const ctx = this.ctx, dpr = this.dpr, s = this.scale;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = '#fafafa';
    ctx.fillRect(0, 0, this.width, this.height);
    const size = Math.max(1, this.pitch * s * 0.8), half = size / 2;
    const grades = this.map.grades.length;
    const paths = [];
    for (let g = 0; g <= grades; g++) paths.push(new Path2D());
    const selected = [];
    const xmin = -size, ymin = -size, xmax = this.width + size, ymax = this.height + size;
    for (let i = 0; i < this.n; i++) {
      const x = this.xs[i] * s + this.tx, y = this.ys[i] * s + this.ty;
      if (x < xmin || x > xmax || y < ymin || y > ymax) continue;
      if (this.options.isSelected(i)) { selected.push(i); continue; }
      paths[this.status[i] === 0 ? this.grade[i] : grades].rect(x - half, y - half, size, size);
    }
    for (let g = 0; g < grades; g++) { ctx.fillStyle = this.colorOf(g); ctx.fill(paths[g]); }
    ctx.fillStyle = '#c9c9c9'; ctx.fill(paths[grades]);
    for (const i of selected) {
      const x = this.xs[i] * s + this.tx, y = this.ys[i] * s + this.ty;
      ctx.fillStyle = '#111'; ctx.fillRect(x - half - 1, y - half - 1, size + 2, size + 2);
      if (size < 14) { ctx.fillStyle = '#fff'; ctx.fillRect(x - half / 3, y - half / 3, size / 3, size / 3); }
    }
    if (size >= 14) this.drawNumbers(size);
    this.drawGroupLabels();
    if (!this.drawn) { this.drawn = true; performance.mark('map-drawn'); }
  }

  drawNumbers(size) {
    const ctx = this.ctx, s = this.scale;
    ctx.font = `${Math.min(12, size * 0.45)}px system-ui, sans-serif`;
    ctx.textAlign = 'center'; ctx.textBaseline = 'middle';
    for (let i = 0; i < this.n; i++) {
      const x = this.xs[i] * s + this.tx, y = this.ys[i] * s + this.ty;
      if (x < 0 || x > this.width || y < 0 || y > this.height) continue;
      ctx.fillStyle = '#fff';
      ctx.fillText(this.numberOf(i), x, y);
    }
  }

  drawGroupLabels() {
    const ctx = this.ctx, s = this.scale;
    ctx.font = '600 12px system-ui, sans-serif';
    ctx.textAlign = 'center'; ctx.textBaseline = 'bottom';
    const placed = [];
    for (const g of this.groups) {
      const x = ((g.minX + g.maxX) / 2) * s + this.tx;
      const y = g.minY * s + this.ty - this.pitch * s * 0.6;
      if (x < -100 || x > this.width + 100 || y < 0 || y > this.height + 20) continue;
      const text = `${this.map.sections[g.section]} · ${this.options.label(g.grade)}`;
      const w = ctx.measureText(text).width + 10;
      if (placed.some(p => Math.abs(p.x - x) < (p.w + w) / 2 && Math.abs(p.y - y) < 16)) continue;
      placed.push({ x, y, w });
      ctx.fillStyle = 'rgba(255,255,255,.88)';
      ctx.fillRect(x - w / 2, y - 15, w, 16);
      ctx.fillStyle = '#222';
      ctx.fillText(text, x, y);
    }
  }

  bind() {
    const c = this.canvas;
    c.addEventListener('wheel', e => {
      e.preventDefault();
      const r = c.getBoundingClientRect();
      this.zoomAt(Math.exp(-e.deltaY * 0.0015), e.clientX - r.left, e.clientY - r.top);
    }, { passive: false });
    c.addEventListener('pointerdown', e => {
      c.setPointerCapture(e.pointerId);
      this.pointers.set(e.pointerId, { x: e.clientX, y: e.clientY, sx: e.clientX, sy: e.clientY });
      if (this.pointers.size === 1) this.dragged = false;
      if (this.pointers.size === 2) this.dragged = true;
    });
    c.addEventListener('pointermove', e => {
      const p = this.pointers.get(e.pointerId);
      if (!p) return;
      const r = c.getBoundingClientRect();
      if (this.pointers.size === 2) {
        const [a, b] = [...this.pointers.values()];
        const before = Math.hypot(a.x - b.x, a.y - b.y);
        p.x = e.clientX; p.y = e.clientY;
        const after = Math.hypot(a.x - b.x, a.y - b.y);
        const mx = (a.x + b.x) / 2 - r.left, my = (a.y + b.y) / 2 - r.top;
        if (before > 0) this.zoomAt(after / before, mx, my);
        return;
      }
      const dx = e.clientX - p.x, dy = e.clientY - p.y;
      p.x = e.clientX; p.y = e.clientY;
      if (Math.hypot(e.clientX - p.sx, e.clientY - p.sy) > 6) this.dragged = true;
      if (this.dragged) { this.tx += dx; this.ty += dy; this.userMoved = true; this.request(); }
    });
    const up = e => {
      const p = this.pointers.get(e.pointerId);
      this.pointers.delete(e.pointerId);
      if (!p || this.dragged || this.pointers.size > 0) return;
      const i = this.hit(e.clientX, e.clientY);
      if (i >= 0) this.options.onToggle(i);
    };
    c.addEventListener('pointerup', up);
    c.addEventListener('pointercancel', e => { this.pointers.delete(e.pointerId); this.dragged = true; });
  }
};

window.SeatMap.palette = ['#7b1fa2', '#c0392b', '#1e88e5', '#2e7d32', '#ef6c00', '#00838f', '#6d4c41', '#ad1457'];
