package io.vigil.app;

/** A status in kumactl's words ({@code Online}, {@code Offline}, {@code Partially degraded}), coloured on a terminal. */
final class StatusLabel {

    private static final String GREEN = "\u001b[32m";
    private static final String RED = "\u001b[31m";
    private static final String YELLOW = "\u001b[33m";
    private static final String RESET = "\u001b[0m";

    private StatusLabel() {
    }

    /** @param wireName {@code online}, {@code offline} or {@code partially_degraded} */
    static String plain(String wireName) {
        return switch (wireName) {
            case "online" -> "Online";
            case "offline" -> "Offline";
            case "partially_degraded" -> "Partially degraded";
            default -> wireName;
        };
    }

    static String colored(String wireName) {
        String colour = switch (wireName) {
            case "online" -> GREEN;
            case "offline" -> RED;
            default -> YELLOW;
        };
        return colour + plain(wireName) + RESET;
    }

    /** How much wider {@link #colored} is than {@link #plain}: escapes take no room on screen. */
    static int invisibleWidth() {
        return GREEN.length() + RESET.length();
    }
}
