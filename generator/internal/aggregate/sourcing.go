package aggregate

import (
	"sort"
	"strconv"

	"github.com/whyopen/whyopen/generator/internal/classify"
	"github.com/whyopen/whyopen/generator/internal/provenance"
)

// MaxHosts is how many hosts Sourcing.Hosts lists.
const MaxHosts = 20

// Sourcing is how the corpus is sourced: what the URLs its releases cite
// (in sources, links and benchmarks) are worth as evidence, by the kinds
// of package provenance. A URL a release cites twice, say as a source and
// as its weights link, counts once for that release.
type Sourcing struct {
	Releases    int // releases
	WithPrimary int // releases citing at least one primary URL
	URLs        int // URLs, counted once per release
	// Kinds counts the URLs of each kind, in provenance.Kinds order.
	Kinds []KindCount
	// MedianPrimary is the median, over releases, of the share of a
	// release's URLs that are primary; 0 without releases.
	MedianPrimary float64
	// Bands counts releases by their share of primary URLs: every one,
	// more than half, some but half or fewer, none.
	Bands []Band
	// Hosts are the MaxHosts hosts with the most URLs, then by name;
	// HostsTotal counts every host.
	Hosts      []HostCount
	HostsTotal int
	// SecondaryOnly counts the releases none of whose URLs is primary:
	// every fact they state (date, license, size) rests on secondary
	// sources only.
	SecondaryOnly int
	// Scores counts benchmark scores; ScoresPrimary those whose source is
	// primary, ScoresSecondary those whose source is not, ScoresUnsourced
	// those with no source.
	Scores, ScoresPrimary, ScoresSecondary, ScoresUnsourced int
}

// KindCount is the number of URLs of one kind.
type KindCount struct {
	Kind provenance.Kind
	N    int
}

// Band is a range of primary shares and the releases in it.
type Band struct {
	Key, Name string
	N         int
	Share     float64 // of all releases
}

// HostCount is one host: its URLs by kind, and the releases citing it.
type HostCount struct {
	Host     string
	URLs     int
	Releases int
	Kinds    []KindCount // the kinds its URLs have, in provenance.Kinds order; only those with N > 0
}

// Share returns n as a fraction of d, or 0 when d is 0.
func Share(n, d int) float64 {
	if d == 0 {
		return 0
	}
	return float64(n) / float64(d)
}

// PrimaryShare is the share of releases citing a primary URL.
func (s *Sourcing) PrimaryShare() float64 { return Share(s.WithPrimary, s.Releases) }

// KindShare is the share of URLs of kind k.
func (s *Sourcing) KindShare(k KindCount) float64 { return Share(k.N, s.URLs) }

// Sources computes the Sourcing of rs.
func Sources(rs []*classify.Release) *Sourcing {
	s := &Sourcing{Releases: len(rs)}
	kinds := map[provenance.Kind]int{}
	type hostTally struct {
		urls, releases int
		kinds          map[provenance.Kind]int
	}
	hosts := map[string]*hostTally{}
	bands := []Band{
		{Key: "all", Name: "Every URL primary"},
		{Key: "most", Name: "More than half primary"},
		{Key: "some", Name: "Some primary, half or fewer"},
		{Key: "none", Name: "No primary URL"},
	}
	var shares []float64
	for _, r := range rs {
		seen := map[string]bool{}
		seenHost := map[string]bool{}
		primary, n := 0, 0
		for _, u := range r.Cited {
			if seen[u.URL] {
				continue
			}
			seen[u.URL] = true
			n++
			kinds[u.Kind]++
			if u.Kind == provenance.Primary {
				primary++
			}
			h := hosts[u.Host]
			if h == nil {
				h = &hostTally{kinds: map[provenance.Kind]int{}}
				hosts[u.Host] = h
			}
			h.urls++
			h.kinds[u.Kind]++
			if !seenHost[u.Host] {
				seenHost[u.Host] = true
				h.releases++
			}
		}
		s.URLs += n
		share := Share(primary, n)
		shares = append(shares, share)
		switch {
		case primary == 0:
			bands[3].N++
			s.SecondaryOnly++
		case primary == n:
			bands[0].N++
		case 2*primary > n:
			bands[1].N++
		default:
			bands[2].N++
		}
		if primary > 0 {
			s.WithPrimary++
		}
		for i, b := range r.Benchmarks {
			s.Scores++
			if b.Source == "" {
				s.ScoresUnsourced++
				continue
			}
			kind := provenance.Secondary
			field := "benchmarks." + strconv.Itoa(i) + ".source"
			for _, u := range r.Cited {
				if u.Field == field {
					kind = u.Kind
				}
			}
			if kind == provenance.Primary {
				s.ScoresPrimary++
			} else {
				s.ScoresSecondary++
			}
		}
	}
	for i := range bands {
		bands[i].Share = Share(bands[i].N, s.Releases)
	}
	s.Bands = bands
	for _, k := range provenance.Kinds {
		s.Kinds = append(s.Kinds, KindCount{k, kinds[k]})
	}
	if len(shares) > 0 {
		sort.Float64s(shares)
		m := len(shares) / 2
		s.MedianPrimary = shares[m]
		if len(shares)%2 == 0 {
			s.MedianPrimary = (shares[m-1] + shares[m]) / 2
		}
	}
	s.HostsTotal = len(hosts)
	for name, h := range hosts {
		hc := HostCount{Host: name, URLs: h.urls, Releases: h.releases}
		for _, k := range provenance.Kinds {
			if h.kinds[k] > 0 {
				hc.Kinds = append(hc.Kinds, KindCount{k, h.kinds[k]})
			}
		}
		s.Hosts = append(s.Hosts, hc)
	}
	sort.Slice(s.Hosts, func(i, j int) bool {
		a, b := s.Hosts[i], s.Hosts[j]
		if a.URLs != b.URLs {
			return a.URLs > b.URLs
		}
		return a.Host < b.Host
	})
	if len(s.Hosts) > MaxHosts {
		s.Hosts = s.Hosts[:MaxHosts]
	}
	return s
}
