package render

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"net/url"
	"strings"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// Cards are the 1200×630 PNG previews that links to the front page, the
// reports, the buckets and the figures show when shared (og:image). They
// are drawn here, in Go, with the Go fonts, which need no download; every
// other page shows the site's card. A card is drawn only when its inputs
// change: the memo keeps each card by the hash of what it shows.
const (
	cardW, cardH = 1200, 630
	// cardVersion changes whenever drawCard draws differently, so that
	// no kept card outlives the code that drew it.
	cardVersion = "1"
)

// card is what one card shows.
type card struct {
	Kicker, Title, Figure, Footer string
	Accent                        string // #rrggbb
}

func (c card) key() [32]byte {
	return sha256.Sum256([]byte(strings.Join([]string{cardVersion, c.Kicker, c.Title, c.Figure, c.Footer, c.Accent}, "\x00")))
}

var fonts struct {
	once          sync.Once
	regular, bold *opentype.Font
	err           error
}

func loadFonts() error {
	fonts.once.Do(func() {
		if fonts.regular, fonts.err = opentype.Parse(goregular.TTF); fonts.err == nil {
			fonts.bold, fonts.err = opentype.Parse(gobold.TTF)
		}
	})
	return fonts.err
}

// hexColor parses #rrggbb, or returns def.
func hexColor(s string, def color.RGBA) color.RGBA {
	var r, g, b uint8
	if len(s) == 7 && s[0] == '#' {
		if _, err := fmt.Sscanf(s[1:], "%02x%02x%02x", &r, &g, &b); err == nil {
			return color.RGBA{r, g, b, 255}
		}
	}
	return def
}

// wrap breaks text into at most max lines no wider than w, ending the
// last with an ellipsis when the text does not fit.
func wrap(face font.Face, text string, w fixed.Int26_6, max int) []string {
	var lines []string
	line := ""
	words := strings.Fields(text)
	for i, word := range words {
		try := word
		if line != "" {
			try = line + " " + word
		}
		if font.MeasureString(face, try) <= w || line == "" {
			line = try
			continue
		}
		lines = append(lines, line)
		line = word
		if len(lines) == max && i < len(words) {
			last := lines[max-1]
			for font.MeasureString(face, last+"…") > w && strings.Contains(last, " ") {
				last = last[:strings.LastIndex(last, " ")]
			}
			lines[max-1] = last + "…"
			return lines
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// drawHook, when set, is called for every card drawn, for tests.
var drawHook func()

// drawCard draws c as a PNG.
func drawCard(c card) ([]byte, error) {
	if drawHook != nil {
		drawHook()
	}
	if err := loadFonts(); err != nil {
		return nil, err
	}
	face := func(f *opentype.Font, size float64) (font.Face, error) {
		return opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
	}
	kicker, err := face(fonts.bold, 30)
	if err != nil {
		return nil, err
	}
	title, err := face(fonts.bold, 64)
	if err != nil {
		return nil, err
	}
	body, err := face(fonts.regular, 34)
	if err != nil {
		return nil, err
	}
	foot, err := face(fonts.regular, 26)
	if err != nil {
		return nil, err
	}
	img := image.NewRGBA(image.Rect(0, 0, cardW, cardH))
	bg, fg, muted := color.RGBA{0xfd, 0xfc, 0xf9, 255}, color.RGBA{0x1b, 0x1d, 0x21, 255}, color.RGBA{0x5a, 0x5f, 0x69, 255}
	accent := hexColor(c.Accent, color.RGBA{0x2f, 0x62, 0xa8, 255})
	draw.Draw(img, img.Bounds(), image.NewUniform(bg), image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(0, 0, 24, cardH), image.NewUniform(accent), image.Point{}, draw.Src)
	const left = 80
	width := fixed.I(cardW - left - 80)
	text := func(f font.Face, col color.RGBA, y int, s string) {
		d := &font.Drawer{Dst: img, Src: image.NewUniform(col), Face: f, Dot: fixed.P(left, y)}
		d.DrawString(s)
	}
	y := 100
	text(kicker, accent, y, c.Kicker)
	y += 96
	for _, l := range wrap(title, c.Title, width, 3) {
		text(title, fg, y, l)
		y += 76
	}
	y += 20
	for _, l := range wrap(body, c.Figure, width, max(1, (cardH-110-y)/46+1)) {
		text(body, fg, y, l)
		y += 46
	}
	text(foot, muted, cardH-56, c.Footer)
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// cardCache keeps cards by the hash of their inputs, from one render to
// the next (Memo).
type cardCache struct {
	mu   sync.Mutex
	prev map[[32]byte][]byte // the last render's; read only
	next map[[32]byte][]byte
}

// png returns c's card, drawing it only when no render has.
func (cc *cardCache) png(c card) ([]byte, error) {
	k := c.key()
	cc.mu.Lock()
	b, ok := cc.next[k]
	if !ok {
		b, ok = cc.prev[k]
	}
	cc.mu.Unlock()
	if !ok {
		var err error
		if b, err = drawCard(c); err != nil {
			return nil, err
		}
	}
	cc.mu.Lock()
	cc.next[k] = b
	cc.mu.Unlock()
	return b, nil
}

// siteCard is the card of every page without its own.
const siteCard = "og/site.png"

// cardPath is the path of the card of the page at path p.
func cardPath(p string) string {
	s := strings.Trim(strings.ReplaceAll(p, "/", "-"), "-")
	if s == "" {
		s = "home"
	}
	return "og/" + s + ".png"
}

// footer is a card's footer: the site's host and path.
func (s *Site) cardFooter() string {
	if u, err := url.Parse(s.BaseURL); err == nil && u.Host != "" {
		return strings.TrimSuffix(u.Host+u.Path, "/")
	}
	return s.BaseURL
}

// withCard gives page p its own card, made by in when the card's job runs.
func (p *Page) withCard(in func() card) *Page {
	p.Card = cardPath(p.Path)
	p.cardIn = in
	return p
}

// OGImage is the site-relative path of the page's card.
func (p *Page) OGImage() string {
	if p.Card != "" {
		return p.Card
	}
	return siteCard
}

// cardJobs returns the jobs that emit the site's card and every page's own.
func cardJobs(s *Site, w *writer) []func() error {
	jobs := []func() error{func() error {
		b, err := s.cards.png(card{Kicker: s.Title, Title: s.Title, Figure: s.Cat.Site.Description, Footer: s.cardFooter()})
		if err != nil {
			return err
		}
		return w.file(siteCard, b)
	}}
	for _, p := range s.pages {
		if p.cardIn == nil {
			continue
		}
		jobs = append(jobs, func() error {
			b, err := s.cards.png(p.cardIn())
			if err != nil {
				return fmt.Errorf("drawing the card of /%s: %w", p.Path, err)
			}
			return w.file(p.Card, b)
		})
	}
	return jobs
}

// firstSentence is the first sentence of a caption: its finding.
func firstSentence(s string) string {
	if i := strings.Index(s, ". "); i >= 0 {
		return s[:i+1]
	}
	return s
}
