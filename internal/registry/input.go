package registry

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// rowSource yields the rows of a file, whatever its format.
type rowSource interface {
	// Read returns the next row's cells, or io.EOF.
	Read() ([]string, error)
	// Line is the 1-based line (or spreadsheet row) of the row Read returned last.
	Line() int
}

// Encoding names what a CSV file was decoded from.
type Encoding string

// Encodings of the files the importer reads.
const (
	EncodingUTF8    Encoding = "UTF-8"
	EncodingGB18030 Encoding = "GB18030" // includes GBK and GB2312, which it extends
	EncodingXLSX    Encoding = "xlsx"
)

// zipMagic begins every .xlsx file (a zip archive).
var zipMagic = []byte("PK\x03\x04")

// openRows reads a whole file and returns its rows: an Excel workbook's first sheet, or a CSV
// file in UTF-8 (with or without a byte order mark) or GB18030/GBK, the encodings Chinese
// spreadsheet software saves CSV in. A file that is not valid UTF-8 is taken for GB18030, which
// every byte sequence of GBK also is.
func openRows(in io.Reader) (rowSource, Encoding, error) {
	data, err := io.ReadAll(in)
	if err != nil {
		return nil, "", fmt.Errorf("reading the file: %w", err)
	}
	if bytes.HasPrefix(data, zipMagic) {
		src, err := openSheet(data)
		return src, EncodingXLSX, err
	}
	enc := EncodingUTF8
	data = bytes.TrimPrefix(data, []byte("\ufeff")) // byte order mark written by Excel
	if !utf8.Valid(data) {
		decoded, _, err := transform.Bytes(simplifiedchinese.GB18030.NewDecoder(), data)
		if err != nil || !utf8.Valid(decoded) || bytes.ContainsRune(decoded, utf8.RuneError) {
			return nil, "", &FileError{Reason: "the file is neither UTF-8 nor GB18030/GBK text: save it as CSV (UTF-8) or .xlsx"}
		}
		data, enc = decoded, EncodingGB18030
	}
	src := &csvSource{data: data}
	src.readFrom(1)
	return src, enc, nil
}

// csvSource reads CSV text. It keeps the text so that, after a quote left open, it can start
// reading again on the next line: encoding/csv would otherwise take every later line into the
// open quoted value.
type csvSource struct {
	data    []byte
	r       *csv.Reader
	skipped int // lines before the reader's first line
}

func (c *csvSource) Read() ([]string, error) { return c.r.Read() }

func (c *csvSource) Line() int {
	line, _ := c.r.FieldPos(0)
	return c.skipped + line
}

// restartAfter goes on reading on the line after a 1-based line.
func (c *csvSource) restartAfter(line int) { c.readFrom(line + 1) }

// readFrom starts a CSV reader at the beginning of a 1-based line of the text.
func (c *csvSource) readFrom(line int) {
	offset := 0
	for n := 1; n < line && offset < len(c.data); n++ {
		next := bytes.IndexByte(c.data[offset:], '\n')
		if next < 0 {
			offset = len(c.data)
			break
		}
		offset += next + 1
	}
	c.r = csv.NewReader(bytes.NewReader(c.data[offset:]))
	c.r.FieldsPerRecord = -1
	c.r.TrimLeadingSpace = true
	c.skipped = line - 1
}

// sheetSource is the first worksheet of a workbook, row by row.
type sheetSource struct {
	rows [][]string
	next int
}

func openSheet(data []byte) (*sheetSource, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		return nil, &FileError{Reason: "the file looks like an Excel workbook (.xlsx) but cannot be opened: " + err.Error()}
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, &FileError{Reason: "the workbook has no worksheet"}
	}
	rows, err := f.GetRows(sheets[0])
	if err != nil {
		return nil, &FileError{Reason: "reading the first worksheet: " + err.Error()}
	}
	return &sheetSource{rows: rows}, nil
}

func (s *sheetSource) Read() ([]string, error) {
	if s.next >= len(s.rows) {
		return nil, io.EOF
	}
	s.next++
	return s.rows[s.next-1], nil
}

func (s *sheetSource) Line() int { return s.next }
