/* learned_weights.S - the `learned` and `learned-cnn` methods' model files, built into the
 * library so that every caller has them without looking for files.
 * engine/meson.build assembles this with weights/models/upscale on the
 * assembler's search path, again whenever a model changes.  learned_model.c and
 * learned_cnn_model.c read them. */
    .section .rodata
    .balign 16
    .globl dd_learned_x2, dd_learned_x2_end, dd_learned_x4, dd_learned_x4_end
    .hidden dd_learned_x2, dd_learned_x2_end, dd_learned_x4, dd_learned_x4_end
    .globl dd_learned_cnn_x2, dd_learned_cnn_x2_end, dd_learned_cnn_x4, dd_learned_cnn_x4_end
    .hidden dd_learned_cnn_x2, dd_learned_cnn_x2_end, dd_learned_cnn_x4, dd_learned_cnn_x4_end
dd_learned_x2:
    .incbin "learned-x2.safetensors"
dd_learned_x2_end:
    .balign 16
dd_learned_x4:
    .incbin "learned-x4.safetensors"
dd_learned_x4_end:
    .balign 16
dd_learned_cnn_x2:
    .incbin "learned-cnn-x2.safetensors"
dd_learned_cnn_x2_end:
    .balign 16
dd_learned_cnn_x4:
    .incbin "learned-cnn-x4.safetensors"
dd_learned_cnn_x4_end:
    .section .note.GNU-stack, "", @progbits
