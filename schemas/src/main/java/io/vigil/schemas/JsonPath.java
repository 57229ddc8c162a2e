package io.vigil.schemas;

/**
 * A location inside a JSON value. Built for every object the decoder enters but rendered only when
 * a problem is reported, so valid input pays one small allocation per level and no string work.
 */
final class JsonPath {

    static final JsonPath ROOT = new JsonPath(null, null, -1);

    private final JsonPath parent;
    private final String member;
    private final int index;

    private JsonPath(JsonPath parent, String member, int index) {
        this.parent = parent;
        this.member = member;
        this.index = index;
    }

    JsonPath member(String name) {
        return new JsonPath(this, name, -1);
    }

    JsonPath index(int i) {
        return new JsonPath(this, null, i);
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        appendTo(out);
        return out.toString();
    }

    private void appendTo(StringBuilder out) {
        if (parent == null) {
            return;
        }
        parent.appendTo(out);
        if (member == null) {
            out.append('[').append(index).append(']');
        } else if (isPlainName(member)) {
            if (out.length() > 0) {
                out.append('.');
            }
            out.append(member);
        } else {
            // Tag keys such as kuma.io/service contain dots: quote them so the path stays unambiguous.
            out.append("[\"").append(member.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"]");
        }
    }

    private static boolean isPlainName(String name) {
        if (name.isEmpty() || !Character.isJavaIdentifierStart(name.charAt(0))) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            if (!Character.isJavaIdentifierPart(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
