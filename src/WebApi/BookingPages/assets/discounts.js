'use strict';
// Step 03 "가격 / Price" of the booking page (issue 13.2): the fan picks a discount per seat of the held order and
// may enter one coupon code. Every price and the total come from the server (GET/PUT /api/orders/{id}/discounts);
// this file only shows them. book.js calls TicketingDiscounts.mount(box, ...) when the step opens; it uses book.js's
// helpers (api, h, t, won, lang, ApiError, say) at call time.
(function () {
  const S = {
    ko: {
      loading: '할인을 불러오는 중…', base: '일반', left: '남은 수량 {n}', soldOut: '매진', coupon: '쿠폰',
      couponCode: '쿠폰 번호', apply: '적용', couponOk: '쿠폰 "{code}"을(를) 좌석의 가격 목록에서 선택하세요.', couponBad: '사용할 수 없는 쿠폰 번호입니다.',
      couponTag: '쿠폰', rule: '유의사항', pay: '결제 금액', face: '티켓 금액', discount: '할인', soldOutNow: '"{name}" 할인의 남은 수량이 부족합니다. 다른 가격을 선택해 주세요.',
      saving: '가격을 계산하는 중…', saved: '가격이 적용되었습니다.', seatPrice: '{seat} 가격', noDiscounts: '이 회차에는 할인권종이 없습니다.',
    },
    en: {
      loading: 'Loading discounts…', base: 'Standard', left: '{n} left', soldOut: 'sold out', coupon: 'Coupon',
      couponCode: 'Coupon code', apply: 'Apply', couponOk: 'Coupon "{code}" is now in the price list of your seats.', couponBad: 'This coupon code cannot be used.',
      couponTag: 'coupon', rule: 'Conditions', pay: 'To pay', face: 'Tickets', discount: 'Discount', soldOutNow: '"{name}" has too few seats left. Please choose another price.',
      saving: 'Pricing your seats…', saved: 'Prices applied.', seatPrice: 'Price of {seat}', noDiscounts: 'No discounts are offered for this performance.',
    },
  };
  const d = (key, vars) => {
    let s = (S[lang] && S[lang][key]) ?? S.en[key] ?? key;
    if (vars) for (const [k, v] of Object.entries(vars)) s = s.split('{' + k + '}').join(String(v));
    return s;
  };

  if (!document.getElementById('discount-style')) {
    const style = document.createElement('style');
    style.id = 'discount-style';
    style.textContent = `
      .discounts .seat-price { display: grid; grid-template-columns: 1fr; gap: .25rem; padding: .5rem 0; border-bottom: 1px solid var(--line, #ddd); }
      .discounts .seat-price select { width: 100%; }
      .discounts .seat-price .rule { font-size: .85rem; color: #8a4b00; margin: 0; }
      .discounts .coupon-row { display: flex; gap: .5rem; margin-top: .75rem; }
      .discounts .coupon-row input { flex: 1; min-width: 0; text-transform: uppercase; }
      .discounts .coupon-msg { font-size: .85rem; margin: .25rem 0 0; min-height: 1.2em; }
      .discounts .coupon-msg.bad { color: #b00020; }
      .discounts .price-sum { margin: .75rem 0 0; display: grid; grid-template-columns: 1fr auto; gap: .15rem .5rem; }
      .discounts .price-sum dd { margin: 0; text-align: right; }
      .discounts .price-sum .cut { color: #c0392b; }
      .discounts .price-sum .pay { font-weight: 700; font-size: 1.05rem; }
    `;
    document.head.append(style);
  }

  /**
   * Fills box with the price step of ctx.order. ctx.gradeName(code) names a grade; ctx.onPriced(view) is called with
   * the server's answer each time the prices change (view.totalAmount is what the payment must carry).
   */
  async function mount(box, ctx) {
    const orderId = ctx.order.id;
    let coupon = null;
    let view = null;
    box.replaceChildren(h('p', { class: 'muted' }, d('loading')));

    const msg = h('p', { class: 'coupon-msg', 'aria-live': 'polite' });
    const codeInput = h('input', { id: 'coupon-code', autocomplete: 'off', spellcheck: 'false', maxlength: '32', 'aria-label': d('couponCode'), placeholder: d('couponCode') });

    function optionLabel(discount, price) {
      let label = `${discount.name} ${won(price)}`;
      if (discount.coupon) label += ` (${d('couponTag')})`;
      if (discount.remaining != null) label += ' · ' + (discount.remaining > 0 ? d('left', { n: discount.remaining }) : d('soldOut'));
      return label;
    }

    function render() {
      const byId = new Map(view.discounts.map(x => [x.id, x]));
      const rows = view.seats.map(seat => {
        const select = h('select', { id: 'discount-' + seat.seatId, 'data-seat': String(seat.seatId), 'aria-label': d('seatPrice', { seat: seat.label }), onchange: () => save() },
          h('option', { value: '' }, `${d('base')} ${won(seat.facePrice)}`),
          seat.options.map(o => {
            const discount = byId.get(o.discountId);
            const full = discount.remaining === 0 && seat.discountId !== o.discountId;
            return h('option', { value: String(o.discountId), selected: seat.discountId === o.discountId, disabled: full }, optionLabel(discount, o.price));
          }));
        const chosen = seat.discountId != null ? byId.get(seat.discountId) : null;
        return h('div', { class: 'seat-price' },
          h('label', { for: 'discount-' + seat.seatId }, `${ctx.gradeName(seat.grade)} ${seat.label}`),
          select,
          chosen?.rule ? h('p', { class: 'rule' }, `${d('rule')}: ${chosen.rule}`) : null);
      });
      const anyOffer = view.seats.some(s => s.options.length > 0);
      box.replaceChildren(h('div', { class: 'discounts', id: 'discounts' },
        h('div', { class: 'seat-prices' }, rows),
        anyOffer ? null : h('p', { class: 'muted' }, d('noDiscounts')),
        h('div', { class: 'coupon-row' }, codeInput, h('button', { type: 'button', id: 'coupon-apply', onclick: () => applyCoupon() }, d('apply'))),
        msg,
        h('dl', { class: 'price-sum' },
          h('dt', {}, d('face')), h('dd', {}, won(view.faceAmount)),
          h('dt', { class: 'cut' }, d('discount')), h('dd', { class: 'cut', id: 'price-discount' }, view.discountAmount > 0 ? '− ' + won(view.discountAmount) : won(0)),
          h('dt', { class: 'pay' }, d('pay')), h('dd', { class: 'pay', id: 'price-total' }, won(view.totalAmount)))));
    }

    function show(next) {
      view = next;
      render();
      ctx.onPriced(view);
    }

    async function load() {
      const q = coupon ? '?coupon=' + encodeURIComponent(coupon) : '';
      show((await api(`/api/orders/${orderId}/discounts${q}`)).body);
    }

    async function save() {
      const seats = [...box.querySelectorAll('select[data-seat]')].map(s => ({ seatId: Number(s.dataset.seat), discountId: s.value ? Number(s.value) : null }));
      say(d('saving'));
      try {
        show((await api(`/api/orders/${orderId}/discounts`, { method: 'PUT', body: { coupon, seats } })).body);
        say(d('saved'));
      } catch (e) {
        if (e instanceof ApiError && e.code === 'discount.sold_out') {
          const name = view.discounts.find(x => x.id === e.problem.discountId)?.name || '';
          alertBox(d('soldOutNow', { name }));
        } else {
          alertBox(problemText(e));
        }
        await load().catch(() => {});
      }
    }

    async function applyCoupon() {
      const code = codeInput.value.trim();
      if (!code) return;
      const previous = coupon;
      coupon = code;
      try {
        await load();
        msg.className = 'coupon-msg';
        msg.textContent = d('couponOk', { code: view.coupon || code.toUpperCase() });
        codeInput.value = view.coupon || code;
      } catch (e) {
        coupon = previous;
        msg.className = 'coupon-msg bad';
        msg.textContent = e instanceof ApiError && e.code === 'coupon.invalid' ? d('couponBad') : problemText(e);
      }
    }

    try { await load(); } catch (e) { box.replaceChildren(h('p', { class: 'notice' }, problemText(e))); }
  }

  window.TicketingDiscounts = { mount };
})();
