"""The monthly pack and the term analysis on disk: workbooks, PNG panels, decks and Word reports."""
