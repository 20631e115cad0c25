// Package bundle builds the site's ECharts: a bundle of only the chart
// types, components and renderers the site's charts use (Entry), made with
// esbuild from the ES modules of the pinned echarts npm package and of its
// dependencies, zrender and tslib. It reads the packages' tarballs as
// npm pack wrote them and touches no network; the Makefile checks their
// checksums first.
//
// The bundle is an IIFE that sets the global echarts, as the full
// dist/echarts.min.js does, with the few functions the site's scripts call
// (see Entry). Code under process.env.NODE_ENV !== "production" is
// dropped, as in the dist build. The output depends only on the tarballs
// and on Entry: the same tarballs give the same bytes.
//
// A chart option that needs a series type or component not in Entry draws
// nothing, and ECharts logs which one is missing to the console; the
// browser tests (generator/internal/browser) draw every chart kind the
// site has with this bundle.
package bundle

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/evanw/esbuild/pkg/api"
)

// Entry is the bundle's entry module. Charts: line (with area style),
// bar, scatter and heatmap. Components: the grid, its axes, tooltip,
// title, legend (hidden, but its selection hides series), visual map (the
// heatmap's scale), mark line, area and point (to mark partial periods
// and gaps) and graphic (text drawn on an exported image). Features:
// label layout (hideOverlap) and grid.containLabel, which ECharts 6 keeps
// as a legacy feature. Renderers: canvas on screen, SVG for SVG export.
const Entry = `import { use, init, getInstanceByDom, dispose, version } from "echarts/core";
import { LineChart, BarChart, ScatterChart, HeatmapChart } from "echarts/charts";
import { GridComponent, TooltipComponent, TitleComponent, LegendComponent, VisualMapComponent,
  MarkLineComponent, MarkAreaComponent, MarkPointComponent, GraphicComponent } from "echarts/components";
import { LabelLayout, LegacyGridContainLabel } from "echarts/features";
import { CanvasRenderer, SVGRenderer } from "echarts/renderers";

use([LineChart, BarChart, ScatterChart, HeatmapChart,
  GridComponent, TooltipComponent, TitleComponent, LegendComponent, VisualMapComponent,
  MarkLineComponent, MarkAreaComponent, MarkPointComponent, GraphicComponent,
  LabelLayout, LegacyGridContainLabel, CanvasRenderer, SVGRenderer]);

export { init, getInstanceByDom, dispose, use, version };
`

// Packages are the npm packages the bundle is made from.
var Packages = []string{"echarts", "zrender", "tslib"}

// Result is a built bundle and the licenses that go with it.
type Result struct {
	JS      []byte
	License []byte // each package's LICENSE and NOTICE files, one after another
}

// Build bundles Entry from the packages' tarballs, by package name.
func Build(tarballs map[string][]byte) (*Result, error) {
	dir, err := os.MkdirTemp("", "whyopen-bundle-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	res := &Result{}
	for _, name := range Packages {
		tgz, ok := tarballs[name]
		if !ok {
			return nil, fmt.Errorf("no tarball for %s", name)
		}
		lic, err := unpack(tgz, filepath.Join(dir, "node_modules", name))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		res.License = append(res.License, fmt.Sprintf("=== %s ===\n\n", name)...)
		res.License = append(res.License, lic...)
	}
	r := api.Build(api.BuildOptions{
		Stdin:             &api.StdinOptions{Contents: Entry, ResolveDir: dir, Sourcefile: "entry.js"},
		AbsWorkingDir:     dir,
		Bundle:            true,
		Format:            api.FormatIIFE,
		GlobalName:        "echarts",
		Platform:          api.PlatformBrowser,
		Target:            api.ES2018,
		MinifyWhitespace:  true,
		MinifyIdentifiers: true,
		MinifySyntax:      true,
		LegalComments:     api.LegalCommentsNone,
		Define:            map[string]string{"process.env.NODE_ENV": `"production"`},
		Banner:            map[string]string{"js": "/*! Apache ECharts, a custom build of the site's chart types and components; licenses in echarts.LICENSE.txt. */"},
		Charset:           api.CharsetUTF8,
		Write:             false,
		LogLevel:          api.LogLevelSilent,
	})
	if len(r.Errors) > 0 {
		var msgs []string
		for _, m := range api.FormatMessages(r.Errors, api.FormatMessagesOptions{Kind: api.ErrorMessage}) {
			msgs = append(msgs, strings.TrimSpace(m))
		}
		return nil, errors.New(strings.Join(msgs, "\n"))
	}
	if len(r.OutputFiles) != 1 {
		return nil, fmt.Errorf("esbuild wrote %d files, want 1", len(r.OutputFiles))
	}
	res.JS = r.OutputFiles[0].Contents
	return res, nil
}

// unpack writes a package tarball's files, which npm pack puts under
// package/, into dir, and returns its license and notice files.
func unpack(tgz []byte, dir string) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(tgz))
	if err != nil {
		return nil, err
	}
	tr := tar.NewReader(zr)
	var lic [][2]string
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		name := path.Clean(h.Name)
		rel, ok := strings.CutPrefix(name, "package/")
		if !ok || rel == "" || strings.HasPrefix(rel, "../") || path.IsAbs(rel) {
			continue
		}
		b, err := io.ReadAll(io.LimitReader(tr, 64<<20))
		if err != nil {
			return nil, err
		}
		switch base := strings.ToUpper(path.Base(rel)); {
		case path.Dir(rel) == "." && (strings.HasPrefix(base, "LICENSE") || base == "NOTICE"):
			lic = append(lic, [2]string{rel, string(b)})
		}
		if !strings.HasSuffix(rel, ".js") && !strings.HasSuffix(rel, ".json") {
			continue
		}
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			return nil, err
		}
	}
	// Sorted by name: the tarball's order is the packer's.
	for i := range lic {
		for j := i + 1; j < len(lic); j++ {
			if lic[j][0] < lic[i][0] {
				lic[i], lic[j] = lic[j], lic[i]
			}
		}
	}
	var out []byte
	for _, l := range lic {
		out = append(out, l[1]...)
		if !strings.HasSuffix(l[1], "\n") {
			out = append(out, '\n')
		}
		out = append(out, '\n')
	}
	return out, nil
}
