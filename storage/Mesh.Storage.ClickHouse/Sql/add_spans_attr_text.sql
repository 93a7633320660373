-- Spans written before AttributeText kept their attributes in JSON and search arrays; the new columns read
-- empty for them, which is how readers tell the two apart.
ALTER TABLE {spans}
  ADD COLUMN attr_text String,
  ADD COLUMN resource_attr_text String
