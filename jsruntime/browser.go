package jsruntime

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/jsload/jsload/bindings"
)

// The VU's browser: what a real user's browser keeps between the pages of one
// visit (cookies, kept-alive connections) and the background scripts that
// belong to it. A group that emulates a new browser each iteration (the
// scheduler's newBrowserEachIteration, as NeoLoad's "emulate new browser
// between each iteration" and LoadRunner's "simulate a new user on each
// iteration") gives each iteration a browser of its own; otherwise one browser
// lasts as long as the VU. jsruntime holds the mechanism, the scheduler the
// policy:
//
//	moment                        what happens                                     call site
//	vuInit runs                   the scripts vuInit itself creates with           VU.Init
//	                              stop: 'vu' belong to the browser it runs in
//	an iteration ends             those scripts are halted (errBrowserClosed);     VU.EndBrowser, called by the scheduler
//	                              the browser is marked ended                      after each iteration of such a group
//	the next iteration begins     the OnNewBrowser subscribers drop the old        VU.Iterate → browser.renew
//	                              browser's state: the HTTP binding empties the
//	                              VU's cookie jar and closes its idle connections
//	                              (but what EndBrowser's BrowserReset keeps: a k6
//	                              script's VU keeps its connections)
//
// So vuInit's cookies reach the VU's first iteration and no other, vuEnd sees
// the browser of the VU's last iteration, and the dictionary and data rows,
// which are the VU's and not its browser's, are never touched. A background
// script still running at a renewal (stop: 'vu' or 'never', created by an
// iteration; stop: 'never', created by vuInit) shares the VU's browser: from
// then on it sends the new browser's cookies (none at first) on new
// connections; a request it has in flight is not interrupted.
type browser struct {
	mu    sync.Mutex
	hooks []func(bindings.BrowserReset) // OnNewBrowser subscribers, appended only

	// Used on the VU's goroutine only.
	initing     bool                  // VU.Init is running
	initScripts []*bgScript           // the stop: 'vu' scripts vuInit created, halted when its browser ends
	ended       bool                  // EndBrowser ran: the next iteration renews the browser
	reset       bindings.BrowserReset // what the renewal keeps, given to EndBrowser
}

// errBrowserClosed is the cause that halts vuInit's stop: 'vu' scripts.
var errBrowserClosed = errors.New("the iteration after vuInit ended, and with it the browser vuInit ran in (newBrowserEachIteration)")

// subscribe adds fn to the functions renew calls. Safe from any goroutine.
func (b *browser) subscribe(fn func(bindings.BrowserReset)) {
	b.mu.Lock()
	b.hooks = append(b.hooks, fn)
	b.mu.Unlock()
}

// renew starts a new browser: each subscriber drops what it kept of the old
// one. Called on the VU's goroutine, between iterations. It allocates nothing:
// what the subscribers drop is theirs to make cheap when there is nothing.
func (b *browser) renew() {
	b.ended = false
	b.mu.Lock()
	hooks := b.hooks // appends never change the elements this header sees
	b.mu.Unlock()
	for _, fn := range hooks {
		fn(b.reset)
	}
}

// list returns where a script that runtime r creates with stop: 'vu' is
// listed as belonging to the VU's browser: vuInit's own scripts; nil for any
// other. A background runtime never reads the VU goroutine's fields.
func (b *browser) list(r *scriptRuntime) *[]*bgScript {
	if r.bg != nil || !b.initing {
		return nil
	}
	return &b.initScripts
}

// Init runs the vuInit export name as Run does; the background scripts it
// creates with stop: 'vu' belong to the browser it runs in, which EndBrowser
// ends. The scheduler calls it for a group's vuInit.
func (vu *VU) Init(ctx context.Context, name string) error {
	vu.browser.initing = true
	defer func() { vu.browser.initing = false }()
	return vu.Run(ctx, name)
}

// EndBrowser ends the browser of the iteration that just ended, for a group
// that emulates a new browser each iteration: the background scripts vuInit
// created with stop: 'vu' are stopped by their stop mode (waited for), and the
// next Iterate starts a new browser (see browser). Call it after each
// iteration, on the VU's goroutine; with nothing to halt it costs a check.
// reset says what the new browser keeps of this one.
func (vu *VU) EndBrowser(reset bindings.BrowserReset) {
	b := &vu.browser
	b.ended, b.reset = true, reset
	if len(b.initScripts) > 0 {
		list := b.initScripts
		b.initScripts = nil
		vu.test.browserNote.Do(func() {
			vu.test.console(vu.Info.ID, "", "warn", fmt.Sprintf(
				"background script %q, created in vuInit with stop: 'vu', is halted at the end of the VU's first iteration, as each iteration has a new browser (newBrowserEachIteration, on by default); set newBrowserEachIteration: false to keep it for the VU's life (said once)",
				list[0].id))
		})
		stopAll(list, errBrowserClosed)
	}
}
