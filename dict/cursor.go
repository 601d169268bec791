package dict

import "sync"

// Cursor walks rows of a [Table] under script control (table(name).next() in
// JS). It hands rows to the script and leaves the VU's dictionary alone: the
// row a data binding put there for the iteration stays. It is safe for
// concurrent use.
type Cursor struct {
	mu    sync.Mutex
	t     *Table
	perm  []uint32 // logical → physical row, or nil
	start int      // first logical row
	size  int      // number of rows
	pos   int      // current position in [0, size), -1 before the first Next
}

// Next advances to the next row and returns its cells (in column order, in a
// new slice), or returns nil when there is no next row.
func (c *Cursor) Next() []string {
	c.mu.Lock()
	if c.pos+1 >= c.size {
		c.mu.Unlock()
		return nil
	}
	c.pos++
	row := c.physical()
	c.mu.Unlock()
	return c.t.Row(row)
}

// physical returns the table row at the current position. c.mu must be held.
func (c *Cursor) physical() int {
	r := (c.start + c.pos) % c.t.Len()
	if c.perm != nil {
		return int(c.perm[r])
	}
	return r
}

// HasNext reports whether Next would find a row.
func (c *Cursor) HasNext() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.pos+1 < c.size
}

// Row returns the cells of the current row, or nil before the first Next.
func (c *Cursor) Row() []string {
	c.mu.Lock()
	if c.pos < 0 {
		c.mu.Unlock()
		return nil
	}
	row := c.physical()
	c.mu.Unlock()
	return c.t.Row(row)
}

// Index returns the current position (0-based) among the cursor's rows, or -1
// before the first Next.
func (c *Cursor) Index() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.pos
}

// Size returns the number of rows the cursor walks.
func (c *Cursor) Size() int { return c.size }

// Columns returns the table's column names (shared: do not modify).
func (c *Cursor) Columns() []string { return c.t.Columns() }

// Reset moves the cursor back before its first row.
func (c *Cursor) Reset() {
	c.mu.Lock()
	c.pos = -1
	c.mu.Unlock()
}
