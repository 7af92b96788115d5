"""Stage 4, the chapters: one module per report chapter, written as declarations over the
shared section types, each stating its figures through the measure registry."""
