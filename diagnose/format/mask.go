package format

import (
	"io"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose"
	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/redact"
)

// mask hides secrets in one piece of text taken from the person's input.
func mask(s string) string { return redact.String(s) }

// writeMasked is every renderer's last step: the finished output goes through
// the redactor as a whole before a byte reaches w. Masking each field first
// (maskedReport) catches keys that an encoding would split (JSON escapes);
// this pass catches anything a renderer added from the sources.
func writeMasked(w io.Writer, out []byte) error {
	_, err := w.Write(redact.Bytes(out))
	return err
}

// maskedReport returns a deep copy of r with every free-text field masked and
// the required lists never nil, so JSON shows [] rather than null.
func maskedReport(r *diagnose.Report) diagnose.Report {
	var c diagnose.Report
	if r != nil {
		c = *r
	}
	if c.Version == 0 {
		c.Version = diagnose.ReportVersion
	}
	c.Causes = make([]diagnose.RankedCause, 0, len(r0(r).Causes))
	for _, rc := range r0(r).Causes {
		rc.Reason = mask(rc.Reason)
		rc.Rules = append([]string(nil), rc.Rules...)
		c.Causes = append(c.Causes, rc)
	}
	c.Findings = make([]diagnose.Finding, 0, len(r0(r).Findings))
	for _, f := range r0(r).Findings {
		f.Message = mask(f.Message)
		f.Evidence = mask(f.Evidence)
		f.Fix = mask(f.Fix)
		f.File = mask(f.File)
		if f.Edits != nil {
			edits := make([]diagnose.Edit, len(f.Edits))
			for i, e := range f.Edits {
				e.New = mask(e.New)
				e.File = mask(e.File)
				edits[i] = e
			}
			f.Edits = edits
		}
		c.Findings = append(c.Findings, f)
	}
	c.Inputs = make([]diagnose.InputSummary, 0, len(r0(r).Inputs))
	for _, in := range r0(r).Inputs {
		in.Name = mask(in.Name)
		in.Error = mask(in.Error)
		c.Inputs = append(c.Inputs, in)
	}
	if r0(r).Next != nil {
		c.Next = make([]string, len(r.Next))
		for i, n := range r.Next {
			c.Next[i] = mask(n)
		}
	}
	if r0(r).Notes != nil {
		c.Notes = make([]diagnose.Note, len(r.Notes))
		for i, n := range r.Notes {
			n.Message = mask(n.Message)
			n.File = mask(n.File)
			c.Notes[i] = n
		}
	}
	return c
}

// r0 lets maskedReport read a nil report as an empty one.
func r0(r *diagnose.Report) *diagnose.Report {
	if r == nil {
		return &diagnose.Report{}
	}
	return r
}
