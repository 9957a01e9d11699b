import keras
from keras import ops


@keras.saving.register_keras_serializable(package="keras_gans")
class DepthToSpace(keras.layers.Layer):
    """Sub-pixel rearrangement: `(N, H, W, r*r*C)` -> `(N, r*H, r*W, C)`.

    Output pixel `(r*h + i, r*w + j)`, channel `c` is input pixel `(h, w)`, channel
    `(i*r + j)*C + c`: the channel order of `tf.nn.depth_to_space` (NHWC).
    PyTorch's `PixelShuffle` (NCHW) reads channel `c*r*r + i*r + j` instead, so
    its weights need their channels permuted. After a convolution with `r*r*C`
    filters this is the sub-pixel convolution of ESPCN, SRGAN's up-sampling.

    Args:
        block_size: int >= 2, the up-sampling factor `r`.
        **kwargs: base layer keyword arguments (`name`, `dtype`, ...).

    Example:

    ```python
    x = keras.random.normal((2, 7, 7, 4 * 64))
    y = DepthToSpace(2)(x)  # (2, 14, 14, 64)
    ```

    Reference:
        - [Shi et al., 2016](https://arxiv.org/abs/1609.05158), "Real-Time Single Image and
          Video Super-Resolution Using an Efficient Sub-Pixel Convolutional Neural Network".
    """

    def __init__(self, block_size=2, **kwargs):
        super().__init__(**kwargs)
        if isinstance(block_size, bool) or not isinstance(block_size, int) or block_size < 2:
            raise ValueError(
                f"`block_size` must be an integer of at least 2. Received: block_size={block_size!r}"
            )
        self.block_size = block_size
        self.input_spec = keras.layers.InputSpec(ndim=4)

    def build(self, input_shape):
        channels = input_shape[-1]
        if channels is None or channels % (self.block_size**2) != 0:
            raise ValueError(
                f"DepthToSpace needs a known channel count divisible by block_size**2 = "
                f"{self.block_size**2}. Received: input_shape={tuple(input_shape)}"
            )
        self.built = True

    def call(self, inputs):
        r = self.block_size
        shape = ops.shape(inputs)
        height, width, channels = shape[1], shape[2], inputs.shape[-1] // (r * r)
        x = ops.reshape(inputs, (-1, height, width, r, r, channels))
        x = ops.transpose(x, (0, 1, 3, 2, 4, 5))
        return ops.reshape(x, (-1, height * r, width * r, channels))

    def compute_output_shape(self, input_shape):
        r = self.block_size
        batch, height, width, channels = input_shape
        return (
            batch,
            None if height is None else height * r,
            None if width is None else width * r,
            channels // (r * r),
        )

    def get_config(self):
        return {**super().get_config(), "block_size": self.block_size}
