// k6/html's parseHTML and Selection API, compared with k6's documented
// behaviour (jQuery's); each test* function throws on failure.
import { parseHTML } from 'k6/html';
import { eq, ok, throws } from 'jstest/assert';

const src = `<html lang="en"><body>
<div id="list" class="box main" data-count="3" data-user-name="ann" data-flags='{"a":1}'>
  <p class="item first">One</p><p class="item">Two <b>bold</b></p><p class="item last" title="t">Three</p>
</div>
<form id="f"><input name="a" value="1"><input name="b" type="checkbox"><input name="c" type="radio" value="r" checked>
<select name="s" multiple><option selected>x</option><option value="y" selected>Y</option></select>
<input name="off" disabled value="no"><textarea name="t">text</textarea><button name="btn">b</button></form>
<!-- note -->
</body></html>`;

export function testTraversal() {
  const doc = parseHTML(src);
  const items = doc.find('p.item');
  eq(items.size(), 3, 'find/size');
  eq(items.first().text(), 'One', 'first');
  eq(items.last().attr('title'), 't', 'last/attr');
  eq(items.eq(1).text(), 'Two bold', 'eq/text');
  eq(items.eq(-1).text(), 'Three', 'eq from the end');
  eq(items.eq(1).html(), 'Two <b>bold</b>', 'html');
  eq(items.eq(0).attr('nope', 'default'), 'default', 'attr default');
  eq(items.eq(0).attr('nope'), undefined, 'attr undefined');
  eq(doc.find('b').parent().attr('class'), 'item', 'parent');
  eq(doc.find('b').closest('div').attr('id'), 'list', 'closest');
  eq(doc.find('#list').children().size(), 3, 'children');
  eq(doc.find('#list').children('.last').text(), 'Three', 'children(selector)');
  eq(items.filter('.first').size(), 1, 'filter(selector)');
  eq(items.filter((i) => i > 0).size(), 2, 'filter(fn)');
  eq(items.not('.first').size(), 2, 'not');
  ok(items.is('.last') && !items.first().is('.last'), 'is');
  eq(items.first().next().text(), 'Two bold', 'next');
  eq(items.last().prevAll().size(), 2, 'prevAll');
  eq(items.first().siblings().size(), 2, 'siblings');
  eq(items.slice(1).size(), 2, 'slice');
  eq(items.slice(0, 1).text(), 'One', 'slice(start, end)');
  eq(doc.find('#list').has('b').size(), 1, 'has');
  eq(items.eq(2).index(), 2, 'index');
  eq(items.map((i, s) => s.text().length), [3, 8, 5], 'map gets Selections');
  eq(items.toArray().length, 3, 'toArray');
  eq(doc.find('p').add('b').size(), 4, 'add');
}

export function testEachAndElements() {
  const doc = parseHTML(src);
  const seen = [];
  doc.find('p').each((i, el) => seen.push(`${i}:${el.nodeName()}:${el.textContent()}`));
  eq(seen, ['0:p:One', '1:p:Two bold', '2:p:Three'], 'each gets Elements');
  const el = doc.find('#list').get(0);
  eq(el.id(), 'list', 'id');
  eq(el.className(), 'box main', 'className');
  eq(el.classList(), ['box', 'main'], 'classList');
  eq(el.getAttribute('data-count'), '3', 'getAttribute');
  ok(el.hasAttribute('id') && el.hasAttributes(), 'hasAttribute');
  eq(el.attributes().id.value, 'list', 'attributes');
  eq(el.children().length, 3, 'children');
  eq(el.childElementCount(), 3, 'childElementCount');
  eq(el.firstElementChild().textContent(), 'One', 'firstElementChild');
  eq(el.querySelector('.last').textContent(), 'Three', 'querySelector');
  eq(el.querySelectorAll('p').length, 3, 'querySelectorAll');
  eq(el.getElementsByClassName('item first').length, 1, 'getElementsByClassName');
  eq(el.nodeType(), 1, 'nodeType');
  eq(el.lang(), 'en', 'lang, inherited');
  ok(el.matches('div.box'), 'matches');
  ok(el.contains(doc.find('b').get(0)), 'contains');
  eq(el.firstElementChild().nextElementSibling().textContent(), 'Two bold', 'nextElementSibling');
  eq(el.parentElement().nodeName(), 'body', 'parentElement');
  ok(el.toString().startsWith('<div id="list"'), 'toString is the outer HTML');
  eq(doc.find('p').get(5), undefined, 'get out of range');
  eq(doc.find('p').get().length, 3, 'get()');
  eq(el.selection().attr('id'), 'list', 'selection');
}

export function testDataAndForms() {
  const doc = parseHTML(src);
  const list = doc.find('#list');
  eq(list.data('count'), 3, 'data number');
  eq(list.data('userName'), 'ann', 'camelCase key');
  eq(list.data(), { count: 3, userName: 'ann', flags: { a: 1 } }, 'all data, in attribute order');
  eq(doc.find('input[name=a]').val(), '1', 'val of an input');
  eq(doc.find('textarea').val(), 'text', 'val of a textarea');
  eq(doc.find('select').val(), ['x', 'y'], 'val of a multiple select');
  const form = doc.find('#f');
  eq(form.serializeArray().map((f) => f.name), ['a', 'c', 's', 't'], 'serializeArray');
  eq(form.serialize(), 'a=1&c=r&s=x&s=y&t=text', 'serialize');
  eq(form.serializeObject().c, 'r', 'serializeObject');
}

export function testErrors() {
  const doc = parseHTML(src);
  throws(() => doc.find('p').each('x'), /must be a function/, 'each');
  throws(() => doc.find('p').map(1), /must be a function/, 'map');
  throws(() => doc.find('p').each(() => { throw new Error('inner'); }), /inner/, 'an exception in each');
  eq(parseHTML('').find('p').size(), 0, 'an empty document');
  eq(doc.find('nothing').html(), undefined, 'html of nothing');
}
