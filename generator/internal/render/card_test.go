package render

import (
	"bytes"
	"image/png"
	"sync/atomic"
	"testing"
)

// TestCardCache checks that a card is drawn once for the same inputs,
// across renders too (the previous render's cards), and again when they
// change; and that a card is a deterministic 1200×630 PNG.
func TestCardCache(t *testing.T) {
	var drawn atomic.Int64
	old := drawHook
	drawHook = func() { drawn.Add(1) }
	defer func() { drawHook = old }()

	c := card{Kicker: "Site", Title: "A title that is long enough to wrap over more than one line of the card", Figure: "12 of 40 releases (30%).", Footer: "example.org"}
	first := &cardCache{next: map[[32]byte][]byte{}}
	a, err := first.png(c)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := first.png(c); err != nil {
		t.Fatal(err)
	}
	if n := drawn.Load(); n != 1 {
		t.Errorf("the same card drawn %d times in one render, want 1", n)
	}
	img, err := png.Decode(bytes.NewReader(a))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 1200 || b.Dy() != 630 {
		t.Errorf("card is %v, want 1200×630", b)
	}

	second := &cardCache{prev: first.next, next: map[[32]byte][]byte{}}
	b, err := second.png(c)
	if err != nil {
		t.Fatal(err)
	}
	if n := drawn.Load(); n != 1 || !bytes.Equal(a, b) {
		t.Errorf("an unchanged card was drawn again in the next render (%d draws)", n)
	}
	c.Figure = "13 of 41 releases (32%)."
	d, err := second.png(c)
	if err != nil {
		t.Fatal(err)
	}
	if n := drawn.Load(); n != 2 || bytes.Equal(a, d) {
		t.Errorf("a changed card was not drawn again (%d draws)", n)
	}
	again, err := drawCard(c)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again, d) {
		t.Errorf("drawing the same card twice gave different bytes")
	}
}
