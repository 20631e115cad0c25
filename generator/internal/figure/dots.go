package figure

import (
	"fmt"
	"math"
	"sort"

	"github.com/whyopen/whyopen/generator/internal/aggregate"
	"github.com/whyopen/whyopen/generator/internal/classify"
)

// Kinds of figure that are not over time.
const (
	// Matrix is a count per pair of two series: rows by columns.
	Matrix Kind = "matrix"
	// Scatter is one dot per release.
	Scatter Kind = "scatter"
)

// Grid is a Matrix figure's data: Cells[row][col] counts the releases of
// row series Series[row] and column series Cols[col].
type Grid struct {
	Cols  []Series
	Cells [][]int
}

// Dot is one release in a Scatter figure.
type Dot struct {
	Name, Date, Path string
	Billions         float64 // total parameters, in billions
}

// Sizes are the sizes of one series' releases that state one.
type Sizes struct {
	N                         int
	Smallest, Median, Largest string
}

// Dots is a Scatter figure's data, per series: the dots it plots, and the
// sizes of all its sized releases.
type Dots struct {
	Dots  [][]Dot
	Sizes []Sizes
}

// matrix is the bucket × license-class count of all releases, with every
// most common combination named.
func (s *Set) matrix(st *aggregate.Stats) *Figure {
	f := &Figure{ID: "bucket-license-matrix", Title: "Buckets by license class", Kind: Matrix, Series: s.bucketSeries,
		Total: st.All.Total, Grid: &Grid{Cols: s.classSeries}}
	var best []string
	for _, b := range s.bucketSeries {
		row := make([]int, len(s.classSeries))
		for j, c := range s.classSeries {
			row[j] = st.All.Matrix[b.Key][c.Key]
			switch {
			case row[j] > f.LeadN:
				f.LeadN, best = row[j], nil
				fallthrough
			case row[j] == f.LeadN && row[j] > 0:
				best = append(best, fmt.Sprintf("%s under %s licenses", b.Name, c.Name))
			}
		}
		f.Grid.Cells = append(f.Grid.Cells, row)
	}
	f.Leaders = best
	switch {
	case f.LeadN == 0:
		f.Caption = "No releases yet."
	case len(best) == 1:
		f.Caption = fmt.Sprintf("The most common combination is %s: %d of %s (%s).", best[0], f.LeadN, Plural(f.Total, "release"), Percent(frac(f.LeadN, f.Total)))
	default:
		f.Caption = fmt.Sprintf("The most common combinations, with %d of %s each (%s each), are %s.", f.LeadN, Plural(f.Total, "release"), Percent(frac(f.LeadN, f.Total)), Names(best))
	}
	f.Note = fmt.Sprintf("Each cell counts releases; all %s.", Plural(f.Total, "release"))
	return f
}

// MaxScatterPoints is about how many releases the size chart plots at
// most.
const MaxScatterPoints = 2000

// Ordinal spells n as "2nd", "3rd", "11th" and so on.
func Ordinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return fmt.Sprint(n) + suffix
}

// Size plots release date against total parameters, one series per
// bucket. Beyond MaxScatterPoints sized releases, every step-th sized
// release of a bucket is plotted, and the caption says so; the sizes
// count them all.
func Size(cat *classify.Catalog, st *aggregate.Stats) *Figure {
	rs := cat.Releases
	f := &Figure{ID: "size-over-time", Title: "Release date against total parameters", Kind: Scatter, Dots: &Dots{}, Total: len(rs)}
	sized := 0
	for _, r := range rs {
		if r.ParamsTotal > 0 {
			sized++
		}
	}
	step := max(1, (sized+MaxScatterPoints-1)/MaxScatterPoints)
	plotted := 0
	var largest *classify.Release
	for _, b := range st.Buckets {
		sr := Series{Key: b, Name: BucketName(cat, b)}
		var dots []Dot
		var sizes []*classify.Release
		for _, r := range rs {
			if r.ParamsTotal <= 0 || (r.Bucket != b && !(b == aggregate.Unclassified && r.Bucket == "")) {
				continue
			}
			if len(sizes)%step == 0 {
				dots = append(dots, Dot{Name: r.Title, Date: r.Date.String(), Path: "releases/" + r.ID + "/", Billions: math.Round(float64(r.ParamsTotal)/1e6) / 1e3})
			}
			sizes = append(sizes, r)
		}
		plotted += len(dots)
		sr.N = len(sizes)
		f.Series = append(f.Series, sr)
		f.Dots.Dots = append(f.Dots.Dots, dots)
		sz := Sizes{N: len(sizes)}
		if len(sizes) > 0 {
			sort.SliceStable(sizes, func(i, j int) bool { return sizes[i].ParamsTotal < sizes[j].ParamsTotal })
			sz.Smallest, sz.Median, sz.Largest = sizes[0].ParamsTotal.String(), sizes[len(sizes)/2].ParamsTotal.String(), sizes[len(sizes)-1].ParamsTotal.String()
			if largest == nil || sizes[len(sizes)-1].ParamsTotal > largest.ParamsTotal {
				largest = sizes[len(sizes)-1]
			}
		}
		f.Dots.Sizes = append(f.Dots.Sizes, sz)
	}
	if largest == nil {
		f.Caption = "No release states its size yet."
	} else {
		f.Caption = fmt.Sprintf("%d of %s state their size; the largest is %s, at %s parameters.", sized, Plural(len(rs), "release"), largest.Title, largest.ParamsTotal)
		if step > 1 {
			f.Caption += fmt.Sprintf(" The chart plots every %s sized release of each bucket, %d points in all; the table counts them all.", Ordinal(step), plotted)
		}
	}
	f.Note = fmt.Sprintf("Releases that state their total parameters: %d of %d.", sized, len(rs))
	return f
}
