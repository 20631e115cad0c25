package build

import (
	"bytes"

	"github.com/whyopen/whyopen/generator/internal/check"
	"github.com/whyopen/whyopen/generator/internal/classify"
	"github.com/whyopen/whyopen/generator/internal/load"
	"github.com/whyopen/whyopen/generator/internal/publish"
	"github.com/whyopen/whyopen/generator/internal/render"
)

// Session carries what one build learns to the next build of the same
// site into the same output directory, so that a development server
// rebuilds only what a change touched: it parses only the content files
// that changed (load.Cache), checks and classifies only the releases that
// changed (check.Memo, classify.Memo), renders only the pages whose inputs
// changed (render.Memo), and writes only the files whose bytes changed,
// without reading back the manifests of its output (publish.Cache). The
// result is the same as a build without a session. A session's output directory must be written
// by nothing else, and a session serves one build at a time.
type Session struct {
	load     load.Cache
	check    check.Memo
	classify classify.Memo
	publish  publish.Cache
	render   render.Memo
	rd       *render.Renderer
	theme    [][]byte // the templates and static files rd was made from
}

// Watch promises that, from now on, the caller reports every change to
// the site's content with Changed or Rescan before the build that should
// see it, as a file-system watcher can. A watched session then neither
// lists the content tree nor looks at the files it was not told of, so
// that a rebuild's cost does not grow with the number of files. The next
// build still reads the whole tree. See load.Cache.
func (s *Session) Watch() { s.load.Watch() }

// Changed reports paths, relative to the site's root, that were written,
// created, removed or renamed.
func (s *Session) Changed(paths ...string) { s.load.Changed(paths...) }

// Rescan makes the next build look at every content file again, as after
// a change a watcher could not name.
func (s *Session) Rescan() { s.load.Rescan() }

// renderer returns a renderer for the theme, the last one if the theme
// has not changed, so that the render memo stays valid.
func (s *Session) renderer(opt render.Options) (*render.Renderer, error) {
	var theme [][]byte
	for _, fs := range [][]load.File{opt.Templates, opt.Static} {
		for _, f := range fs {
			theme = append(theme, []byte(f.Path), f.Data)
		}
	}
	if live := []byte{0}; opt.LiveReload {
		theme = append(theme, live)
	}
	if s != nil && s.rd != nil && len(theme) == len(s.theme) {
		same := true
		for i := range theme {
			if !bytes.Equal(theme[i], s.theme[i]) {
				same = false
				break
			}
		}
		if same {
			return s.rd, nil
		}
	}
	rd, err := render.New(opt)
	if s != nil && err == nil {
		s.rd, s.theme = rd, theme
	}
	return rd, err
}
